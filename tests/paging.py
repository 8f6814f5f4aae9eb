"""Walk a paginated page the way a person does: read the rows, follow the "Next" link."""

import html
import re
from urllib.parse import parse_qs, urlsplit

NEXT = re.compile(r'<a href="([^"]*)" rel="next">')


def _page_number(url, param):
    return parse_qs(urlsplit(url).query).get(param)


def walk(client, url, row, param=None):
    """Every page's matches of ``row`` (a regex with one group), following the pager's "Next"
    links; also returns the URLs visited, so that tests can see the filters were kept. On a
    screen paging several lists, ``param`` names the list's query parameter: only the "Next"
    link that changes it is followed."""
    pages, visited = [], []
    while url:
        visited.append(url)
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        pages.append(re.findall(row, content))
        following = [html.unescape(link) for link in NEXT.findall(content)]
        if param:
            following = [u for u in following if _page_number(u, param) != _page_number(url, param)]
        url = following[0] if following else None
        if url and url.startswith("?"):
            url = visited[0].split("?")[0] + url
    return pages, visited
