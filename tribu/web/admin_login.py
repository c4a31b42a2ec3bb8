"""The admin's login form, held to the same failed-login limits as the site's own login.

Django's admin form authenticates directly, which would let anyone guess passwords there
without limit; this one asks the account adapter, which counts failures per account and per
address in the shared cache (the counters the site's login uses too).
"""

from allauth.account.adapter import get_adapter
from django.contrib.admin.forms import AdminAuthenticationForm


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            self.user_cache = get_adapter(self.request).authenticate(
                self.request, username=username, password=password
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data
