"""Errors as Stripe's API reports them: an HTTP status and an ``{"error": {...}}`` body."""


class ApiError(Exception):
    status = 400
    type = "invalid_request_error"

    def __init__(self, message: str, *, code: str | None = None, param: str | None = None,
                 decline_code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.param = param
        self.decline_code = decline_code
        if status is not None:
            self.status = status

    def body(self) -> dict:
        error = {"type": self.type, "message": self.message}
        for name in ("code", "param", "decline_code"):
            if getattr(self, name):
                error[name] = getattr(self, name)
        return {"error": error}


class InvalidRequest(ApiError):
    pass


class NotFound(ApiError):
    status = 404

    def __init__(self, kind: str, object_id: str, *, param: str = "id"):
        super().__init__(f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


class AuthenticationFailed(ApiError):
    status = 401
    type = "authentication_error"


class IdempotencyConflict(ApiError):
    type = "idempotency_error"


class CardDeclined(ApiError):
    status = 402
    type = "card_error"
