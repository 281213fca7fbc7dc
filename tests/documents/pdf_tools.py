"""Looking at a PDF from outside, as a validator or a reader would (poppler tools)."""

import subprocess

HOSTILE = "<img src=file:///etc/passwd>"


def pdfsig(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    return result.stdout + result.stderr


def pdf_text(tmp_path, pdf: bytes) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
