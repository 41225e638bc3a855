"""Errors a consultant can meet. Each says what happened and what to do next."""

from __future__ import annotations

from datetime import datetime


class WxsyncError(Exception):
    """Base error: ``message`` says what happened, ``hint`` what to do next."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message}\nWhat to do next: {hint}" if hint else message)


class InputError(WxsyncError):
    """Bad input: a CSV, a parameter or a file the consultant supplied."""


class AuthError(WxsyncError):
    """Signing in failed or the saved sign-in expired."""


class TenantMismatchError(WxsyncError):
    """The signed-in Xero organisation is not the one this client workspace is bound to."""


class DailyLimitReached(WxsyncError):
    """Xero's (or Wisenet's) daily API limit is used up; work is saved and can resume later."""

    def __init__(self, message: str, hint: str = "", retry_after_s: float = 0.0,
                 resume_at: datetime | None = None) -> None:
        self.retry_after_s = retry_after_s
        self.resume_at = resume_at
        super().__init__(message, hint)


class XeroValidationError(WxsyncError):
    """Xero refused a write; ``messages`` holds Xero's own validation texts."""

    def __init__(self, message: str, hint: str = "", messages: list[str] | None = None,
                 status: int = 400) -> None:
        self.messages = list(messages or [])
        self.status = status
        super().__init__(message, hint)


class GuardError(WxsyncError):
    """A merge guard refused a plan or an execution."""


class SandboxError(WxsyncError):
    """The local sandbox could not start or answered unexpectedly."""
