"""Open Badges 3.0 credentials (W3C Verifiable Credentials Data Model 2.0) for certificates,
signed with the provider's Ed25519 key as a Data Integrity proof, cryptosuite eddsa-jcs-2022:
SHA-256 of the canonical (JCS) proof options, then of the canonical credential, signed; the
signature multibase-encoded (base58btc). The public key is published as a Multikey, so anyone
can verify a credential offline."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ED25519_MULTICODEC = b"\xed\x01"
KEY_ID = "key-1"


def canonical(document: Any) -> bytes:
    """RFC 8785 (JCS) for our documents: strings, integers, booleans, lists and objects only
    (no floats), so sorted keys and no whitespace are exactly JCS."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def signing_key() -> Ed25519PrivateKey:
    raw = settings.CREDENTIAL_SIGNING_KEY
    if not raw:
        raise ImproperlyConfigured(
            "CREDENTIAL_SIGNING_KEY is not set: `manage.py credential_key` makes one."
        )
    return Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(raw))


def new_signing_key() -> str:
    """A new private key, as CREDENTIAL_SIGNING_KEY takes it (32 bytes, URL-safe base64)."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )  # fmt: skip
    return base64.urlsafe_b64encode(raw).decode()


def public_key_multibase() -> str:
    raw = (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return "z" + base58.b58encode(ED25519_MULTICODEC + raw).decode()


def issuer_id(base_url: str) -> str:
    return f"{base_url}/issuer/"


def issuer_profile(base_url: str) -> dict:
    """The issuer's profile, with its public key as a Multikey verification method."""
    issuer = issuer_id(base_url)
    key = {
        "id": f"{issuer}#{KEY_ID}", "type": "Multikey", "controller": issuer,
        "publicKeyMultibase": public_key_multibase(),
    }  # fmt: skip
    return {
        "@context": CONTEXTS, "id": issuer, "type": ["Profile"],
        "name": settings.CREDENTIAL_ISSUER_NAME, "url": base_url,
        "verificationMethod": [key], "assertionMethod": [key["id"]],
    }  # fmt: skip


def sign(credential: dict, *, base_url: str, created: str) -> dict:
    """The credential with an eddsa-jcs-2022 Data Integrity proof added."""
    proof_options = {
        "@context": credential["@context"], "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022", "created": created,
        "verificationMethod": f"{issuer_id(base_url)}#{KEY_ID}",
        "proofPurpose": "assertionMethod",
    }  # fmt: skip
    data = (
        hashlib.sha256(canonical(proof_options)).digest()
        + hashlib.sha256(canonical(credential)).digest()
    )
    signature = signing_key().sign(data)
    proof = {**proof_options, "proofValue": "z" + base58.b58encode(signature).decode()}
    return {**credential, "proof": proof}
