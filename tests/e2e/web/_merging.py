"""Reading the merge screens in tests: what the confirmation form carries."""

from __future__ import annotations

import re
from html import unescape


def digest_of(html: str) -> str:
    """The preview digest the confirmation form will send."""
    found = re.search(r'name="preview_digest" value="([0-9a-f]{64})"', html)
    assert found, "no preview digest on the page"
    return found.group(1)


def confirmation_of(html: str) -> dict[str, str]:
    """Every hidden field of the confirmation form (csrf, duplicate, choices, digest)."""
    form = html[html.index('method="post" action="/customers/') :]
    form = form[: form.index("</form>")]
    return {
        unescape(n): unescape(v)
        for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }
