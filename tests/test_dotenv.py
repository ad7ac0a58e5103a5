"""manage.py reads a .env file, but never over what the environment already says."""

import os

from medway_send.dotenv import load_env_file


def test_env_file_values_fill_gaps_only(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text(
        '# comment\nMEDWAY_TEST_A=one\nexport MEDWAY_TEST_B="two words"\nMEDWAY_TEST_C=file\n\n'
    )
    monkeypatch.delenv("MEDWAY_TEST_A", raising=False)
    monkeypatch.delenv("MEDWAY_TEST_B", raising=False)
    monkeypatch.setenv("MEDWAY_TEST_C", "environment")
    load_env_file(env)
    assert os.environ["MEDWAY_TEST_A"] == "one"
    assert os.environ["MEDWAY_TEST_B"] == "two words"
    assert os.environ["MEDWAY_TEST_C"] == "environment"
    monkeypatch.delenv("MEDWAY_TEST_A")
    monkeypatch.delenv("MEDWAY_TEST_B")


def test_missing_env_file_is_fine(tmp_path):
    load_env_file(tmp_path / "absent")
