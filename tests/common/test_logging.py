import json
import logging

from jobcircle.common.logging import JsonFormatter


def test_a_username_with_a_newline_stays_one_log_record():
    record = logging.LogRecord("auth", logging.WARNING, __file__, 1, "登录失败：%s", ("a\nFAKE LINE\r",), None)
    line = JsonFormatter().format(record)
    assert "\n" not in line and "\r" not in line
    assert json.loads(line)["message"] == "登录失败：a\nFAKE LINE\r"
