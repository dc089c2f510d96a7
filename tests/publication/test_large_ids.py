import pytest


@pytest.mark.parametrize("path", ["/postings/2147483648", "/api/v1/postings/2147483648", "/postings/9223372036854775808", "/api/v1/postings/9223372036854775808"])
def test_ids_past_the_key_range_are_404(client, path):
    assert client.get(path).status_code == 404
