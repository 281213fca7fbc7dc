"""The channel backends themselves: what a passing failure looks like, where the console
writes, which class each setting names."""

import logging

import pytest
from django.core import mail

from notifications.channels import ChannelError, channel_for
from notifications.channels.console import ConsoleChannel
from notifications.channels.email import EmailChannel
from notifications.channels.sandbox import SandboxChannel


def test_email_sends_from_the_office_address(settings):
    EmailChannel().send(to="a@example.id", subject="Halo", body="Isi")
    assert [(m.from_email, m.to, m.subject) for m in mail.outbox] == [
        (settings.DEFAULT_FROM_EMAIL, ["a@example.id"], "Halo")]


def test_an_smtp_server_out_of_reach_is_a_passing_failure_without_the_message(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 5
    with pytest.raises(ChannelError) as failed:
        EmailChannel().send(to="a@example.id", subject="Rahasia", body="Rahasia")
    assert "ConnectionRefusedError" in str(failed.value)
    assert "Rahasia" not in str(failed.value) and "a@example.id" not in str(failed.value)


def test_the_console_prints_and_logs(capsys, caplog):
    with caplog.at_level(logging.INFO, logger="izin.notifications.console"):
        ConsoleChannel(channel="whatsapp").send(to="+6281234567890", subject="S", body="B")
    assert "[whatsapp] to +6281234567890: S\nB" in capsys.readouterr().out
    assert "[whatsapp] to +6281234567890" in caplog.text


def test_each_channel_uses_the_class_its_setting_names(settings):
    settings.NOTIFICATIONS_SMS_BACKEND = "notifications.channels.console.ConsoleChannel"
    assert isinstance(channel_for("email"), EmailChannel)
    assert isinstance(channel_for("sms"), ConsoleChannel)
    whatsapp = channel_for("whatsapp")  # the test settings: the sandbox
    assert isinstance(whatsapp, SandboxChannel) and whatsapp.channel == "whatsapp"
