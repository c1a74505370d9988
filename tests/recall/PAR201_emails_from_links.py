# Recall site: TheAlgorithms/Python web_programming/emails_from_url.py (emails_from_url), fetches every link found on a page with httpx.get and gathers the e-mail addresses into a set.
import re
from html.parser import HTMLParser
from urllib import parse

import httpx


class LinkParser(HTMLParser):
    def __init__(self, domain: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.domain = domain

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "a":
            for name, value in attrs:
                if name == "href" and value not in (None, "#", "") and value not in self.urls:
                    self.urls.append(parse.urljoin(self.domain, value))


def base_domain(url: str) -> str:
    return ".".join(parse.urlparse(url).netloc.split(".")[-2:])


def emails_from_url(url: str = "https://github.com") -> list[str]:
    domain = base_domain(url)
    collector = LinkParser(domain)

    try:
        first = httpx.get(url, timeout=10, follow_redirects=True)
        collector.feed(first.text)

        found = set()
        for href in collector.urls:  # recall: PAR201
            if not href.startswith("http://") and not href.startswith("https://"):
                if href.startswith(domain):
                    href = f"https://{href}"
                else:
                    href = parse.urljoin(f"https://{domain}", href)
            try:
                page = httpx.get(href, timeout=10, follow_redirects=True)
                matches = re.findall("[a-zA-Z0-9]+@" + domain, page.text)
                for address in matches:
                    found.add(address)
            except ValueError:
                pass
    except ValueError:
        raise SystemExit(1)

    return sorted(found)


if __name__ == "__main__":
    addresses = emails_from_url("https://github.com")
    print(f"{len(addresses)} emails found:")
    print("\n".join(sorted(addresses)))
