from evaluation.models.complaints import Complaint
from evaluation.models.reports import MonthlyReport, ReportRecipient
from evaluation.models.survey import ELEMENTS, SurveyInvitation, SurveyResponse

__all__ = ["ELEMENTS", "Complaint", "MonthlyReport", "ReportRecipient", "SurveyInvitation",
           "SurveyResponse"]
