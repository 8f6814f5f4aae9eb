"""Walk a paginated page the way a person does: read the rows, follow the "Next" link."""

import html
import re

NEXT = re.compile(r'<a href="([^"]*)" rel="next">')


def walk(client, url, row):
    """Every page's matches of ``row`` (a regex with one group), following the pager's "Next"
    links; also returns the URLs visited, so that tests can see the filters were kept."""
    pages, visited = [], []
    while url:
        visited.append(url)
        response = client.get(url)
        assert response.status_code == 200
        content = response.content.decode()
        pages.append(re.findall(row, content))
        following = NEXT.search(content)
        url = html.unescape(following.group(1)) if following else None
        if url and url.startswith("?"):
            url = visited[0].split("?")[0] + url
    return pages, visited
