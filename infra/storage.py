"""Object storage for CV files: a local directory by default, S3 when a bucket is set."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Any, Protocol

import aioboto3

from infra.settings import Settings


class FileNotStoredError(LookupError):
    pass


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...
    async def keys(self, prefix: str) -> list[str]: ...


class LocalObjectStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError("storage key escapes the storage root")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        await asyncio.to_thread(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A name of its own: two writers of the same key (a redelivered message) must not
        # rename each other's half-written file.
        tmp = path.with_suffix(f"{path.suffix}.{uuid.uuid4().hex}.part")
        tmp.write_bytes(data)
        # Readers never see a half-written file.
        os.replace(tmp, path)

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError as exc:
            raise FileNotStoredError(key) from exc

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def keys(self, prefix: str) -> list[str]:
        """Keys under ``prefix`` (a folder path ending in ``/``)."""
        return await asyncio.to_thread(self._keys, prefix)

    def _keys(self, prefix: str) -> list[str]:
        folder = self._path(prefix)
        if not folder.is_dir():
            return []
        root = self.root.resolve()
        return sorted(str(p.relative_to(root)) for p in folder.rglob("*") if p.is_file())


class S3ObjectStore:
    def __init__(self, settings: Settings) -> None:
        s3 = settings.s3
        assert s3.bucket is not None
        self.bucket = s3.bucket
        self.session = aioboto3.Session(
            aws_access_key_id=s3.access_key_id,
            aws_secret_access_key=(
                s3.secret_access_key.get_secret_value() if s3.secret_access_key else None
            ),
            region_name=s3.region,
        )
        self.endpoint_url = s3.endpoint_url

    def _client(self) -> Any:
        return self.session.client("s3", endpoint_url=self.endpoint_url)

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        async with self._client() as client:
            await client.put_object(
                Bucket=self.bucket, Key=key, Body=data, ContentType=content_type
            )

    async def get(self, key: str) -> bytes:
        async with self._client() as client:
            try:
                response = await client.get_object(Bucket=self.bucket, Key=key)
            except client.exceptions.NoSuchKey as exc:
                raise FileNotStoredError(key) from exc
            data: bytes = await response["Body"].read()
            return data

    async def delete(self, key: str) -> None:
        async with self._client() as client:
            await client.delete_object(Bucket=self.bucket, Key=key)

    async def keys(self, prefix: str) -> list[str]:
        found: list[str] = []
        async with self._client() as client:
            paginator = client.get_paginator("list_objects_v2")
            async for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                found.extend(item["Key"] for item in page.get("Contents", []))
        return found


def make_object_store(settings: Settings) -> ObjectStore:
    if settings.s3.bucket:
        return S3ObjectStore(settings)
    return LocalObjectStore(settings.data_dir / "files")
