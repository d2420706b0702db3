/** A self-signed certificate for 127.0.0.1 made by the openssl CLI, so the stand-in can speak HTTPS like a real API server. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from '../../../src/util/exec';

/** PEM key and certificate (the certificate doubles as the CA a kubeconfig trusts). */
export interface StandInCert {
  key: string;
  cert: string;
}

let cached: Promise<StandInCert> | undefined;

async function make(): Promise<StandInCert> {
  const dir = mkdtempSync(join(tmpdir(), 'podnet-standin-tls-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    await runOk(
      ['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=podnet-kube-api-stand-in',
        '-addext', 'subjectAltName=IP:127.0.0.1'],
      { timeoutMs: 20_000 },
      'making the stand-in API server certificate',
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The certificate, made once per test process. */
export function standInCert(): Promise<StandInCert> {
  cached ??= make();
  return cached;
}
