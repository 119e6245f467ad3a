from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "regie.accounts"
    label = "accounts"

    def ready(self):
        # Every way in (password form, single sign-on, a test's force_login) ends in Django's
        # login(), so its signal is the one place that sees them all; same for logout().
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from regie.accounts import sessions

        user_logged_in.connect(sessions.on_user_logged_in, dispatch_uid="regie_session_track")
        user_logged_out.connect(sessions.on_user_logged_out, dispatch_uid="regie_session_close")
