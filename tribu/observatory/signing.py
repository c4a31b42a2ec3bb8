"""This instance's Ed25519 key, and signatures over RFC 8785 canonical JSON.

The key pair is made once, at first start (after migrations) or at first use, and kept
in the database: the private half is never served. A signature covers the canonical form
of the document, so any JSON library can rebuild the exact signed bytes.
"""

import base64
import hashlib

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.db import IntegrityError, transaction

from .models import InstanceKey

ALGORITHM = "Ed25519"


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(document: dict) -> bytes:
    return rfc8785.dumps(document)


def fingerprint(public_key: str) -> str:
    """A short stable name for a key: SHA-256 of its raw bytes, first 16 bytes, base64url."""
    return b64(hashlib.sha256(unb64(public_key)).digest()[:16])


def instance_key() -> InstanceKey:
    """The key pair, made the first time it is asked for."""
    key = InstanceKey.objects.order_by("pk").first()
    if key is not None:
        return key
    private = Ed25519PrivateKey.generate()
    public = b64(private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    raw = private.private_bytes_raw()
    try:
        with transaction.atomic():
            return InstanceKey.objects.create(
                private_key=raw, public_key=public, fingerprint=fingerprint(public)
            )
    except IntegrityError:  # two first starts at once: keep the one that won
        return InstanceKey.objects.order_by("pk").first()


def sign(document: dict) -> str:
    key = instance_key()
    private = Ed25519PrivateKey.from_private_bytes(bytes(key.private_key))
    return b64(private.sign(canonical(document)))


def verify(public_key: str, document: dict, signature: str) -> bool:
    return verify_bytes(public_key, canonical(document), signature)


def verify_bytes(public_key: str, data: bytes, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(unb64(public_key))
        key.verify(unb64(signature), data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


class Signer:
    """A key pair held in memory: the illustrative peers of the demo, tests, benchmarks."""

    def __init__(self, seed: bytes | None = None):
        self.private = (
            Ed25519PrivateKey.from_private_bytes(seed) if seed else Ed25519PrivateKey.generate()
        )
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key = b64(raw)
        self.fingerprint = fingerprint(self.public_key)

    def sign(self, document: dict) -> str:
        return b64(self.private.sign(canonical(document)))

    def envelope(self, document: dict) -> dict:
        return {"document": document, "signature": self.sign(document)}
