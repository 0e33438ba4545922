// The zip writer makes archives a real unzip reads back byte for byte.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { crc32, zipFiles } from "../../www/zip.js";

test("crc32 matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
});

test("python's zipfile reads the archive and every file comes back", async () => {
  const files = [
    ["config.json", new TextEncoder().encode('{"model_type": "bert"}')],
    ["model.safetensors", Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256)],
  ];
  const dir = mkdtempSync(join(tmpdir(), "zip-"));
  const archive = join(dir, "model.zip");
  writeFileSync(archive, Buffer.from(await zipFiles(files, "my-model").arrayBuffer()));
  const script = "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; z.extractall(sys.argv[2]); print(' '.join(sorted(z.namelist())))";
  const names = execFileSync("python3", ["-c", script, archive, dir], { encoding: "utf8" }).trim();
  assert.equal(names, "my-model/config.json my-model/model.safetensors");
  for (const [name, bytes] of files) assert.deepEqual(new Uint8Array(readFileSync(join(dir, "my-model", name))), bytes);
});
