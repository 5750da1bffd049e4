"""The browser tests find Chromium wherever PATH has it, and fail, saying why, when it is missing."""

import os
import stat

import pytest

from tests.browser.chromium import ChromiumMissing, find_chromium


def executable(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_chromium_is_found_on_path_outside_usr_bin(tmp_path):
    path = executable(tmp_path, "chromium")
    assert find_chromium({"PATH": f"/nonexistent{os.pathsep}{tmp_path}"}) == path


def test_chromium_browser_is_found_too(tmp_path):
    path = executable(tmp_path, "chromium-browser")
    assert find_chromium({"PATH": str(tmp_path)}) == path


def test_the_chromium_variable_wins(tmp_path):
    executable(tmp_path, "chromium")
    chosen = executable(tmp_path, "my-chromium")
    assert find_chromium({"PATH": str(tmp_path), "CHROMIUM": chosen}) == chosen


def test_a_missing_chromium_is_an_error_saying_what_to_install(tmp_path):
    with pytest.raises(ChromiumMissing, match=r"chromium, chromium-browser.*make browser-deps"):
        find_chromium({"PATH": str(tmp_path)})


def test_a_chromium_variable_that_is_not_an_executable_is_an_error(tmp_path):
    with pytest.raises(ChromiumMissing, match="not an executable"):
        find_chromium({"PATH": "", "CHROMIUM": str(tmp_path / "nothing")})
