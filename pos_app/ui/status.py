"""What the status bar shows, as one QObject the sync engine and the screens both talk to."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal


class TillStatus(QObject):
    """Online/offline, unsynced event count, last successful sync, the shop's providers and
    those in test mode, eTIMS invoices waiting for KRA's signature.

    Setters may be called from any thread: Qt queues the signal to the GUI thread's slots.
    """

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.online = False
        self.unsynced = 0
        self.last_sync: datetime | None = None
        self.test_mode_providers: tuple[str, ...] = ()
        # the providers the relay runs for the shop: one tender each. Until the relay says,
        # Paystack, as tills offered before the relay told them.
        self.providers: tuple[str, ...] = ("mpesa", "paystack")
        self.offline_reason = "not connected to the relay yet"
        self.unsigned = 0

    def update(
        self,
        *,
        online: bool | None = None,
        unsynced: int | None = None,
        last_sync: datetime | None = None,
        test_mode_providers: tuple[str, ...] | None = None,
        providers: tuple[str, ...] | None = None,
        offline_reason: str | None = None,
        unsigned: int | None = None,
    ) -> None:
        if online is not None:
            self.online = online
        if unsynced is not None:
            self.unsynced = unsynced
        if last_sync is not None:
            self.last_sync = last_sync
        if test_mode_providers is not None:
            self.test_mode_providers = test_mode_providers
        if providers is not None:
            self.providers = providers
        if offline_reason is not None:
            self.offline_reason = offline_reason
        if unsigned is not None:
            self.unsigned = unsigned
        self.changed.emit()
