"""Password rules and hashing (scrypt, memory-hard, via Werkzeug)."""
from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128
# A valid hash to compare against when the account does not exist, so timing does not tell.
_DUMMY = generate_password_hash("dummy-password-for-timing", method="scrypt")


def password_problem(password: str) -> str | None:
    if len(password) < MIN_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens."
    if len(password) > MAX_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        check_password_hash(_DUMMY, password)
        return False
    return check_password_hash(password_hash, password)
