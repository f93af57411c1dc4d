"""The test server stays quiet when a browser drops a connection, and loud on real errors."""

import urllib.request

from workshop_kit.pytest_plugin import serve_directory


def test_dropped_connections_are_not_reported_but_other_errors_are(tmp_path, capsys):
    (tmp_path / "index.html").write_text("<p>hi</p>")
    server, url = serve_directory(tmp_path)
    try:
        assert urllib.request.urlopen(url).read() == b"<p>hi</p>"
        for error, reported in ((ConnectionResetError(), False), (BrokenPipeError(), False), (ValueError("x"), True)):
            try:
                raise error
            except Exception:
                server.handle_error(None, ("127.0.0.1", 1))
            assert ("Exception occurred" in capsys.readouterr().err) is reported, error
    finally:
        server.shutdown()
