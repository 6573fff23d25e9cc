"""TokenCipher: tokens at rest, with keys that can be rotated."""
import pytest

from webapp.meetings.oauth_tokens import TokenCipher

OLD, NEW = TokenCipher.generate_key(), TokenCipher.generate_key()


def test_encrypted_token_is_not_the_plaintext_and_decrypts_back():
    cipher = TokenCipher([NEW])

    stored = cipher.encrypt("ya29.secret")

    assert "ya29.secret" not in stored
    assert cipher.decrypt(stored) == "ya29.secret"


def test_a_token_made_with_the_old_key_still_decrypts_after_adding_a_new_key():
    stored = TokenCipher([OLD]).encrypt("refresh-me")

    assert TokenCipher([NEW, OLD]).decrypt(stored) == "refresh-me"


def test_rotate_moves_a_token_to_the_new_key_so_the_old_key_can_go():
    stored = TokenCipher([OLD]).encrypt("refresh-me")

    rotated = TokenCipher([NEW, OLD]).rotate(stored)

    assert TokenCipher([NEW]).decrypt(rotated) == "refresh-me"
    with pytest.raises(ValueError):
        TokenCipher([NEW]).decrypt(stored)


def test_keys_come_from_one_setting_newest_first():
    cipher = TokenCipher.from_setting(f"{NEW}, {OLD}")

    assert TokenCipher([NEW]).decrypt(cipher.encrypt("x")) == "x"


def test_a_cipher_needs_a_key():
    with pytest.raises(ValueError):
        TokenCipher.from_setting("  ")
