/** `trace A B:PORT` works for a Pod or node name as it does for an IP, and means the same as `--port`. */
import { strict as assert } from 'node:assert';
import { LabError } from '../../src/providers/embedded/control/labError';
import { resolveEndpoint } from '../../src/tracer/endpoints';
import { predictTrace } from '../../src/tracer/predict';
import { loadFixture, podIP } from './fixtures';

describe('trace endpoints with :PORT', () => {
  it('resolves POD:PORT and NODE:PORT to that Pod or node with the port', () => {
    const s = loadFixture('article.json');
    assert.deepEqual([resolveEndpoint(s, 'pod-c:8080', 'to').name, resolveEndpoint(s, 'pod-c:8080', 'to').port], ['pod-c', 8080]);
    assert.deepEqual([resolveEndpoint(s, 'node2:22', 'to').kind, resolveEndpoint(s, 'node2:22', 'to').port], ['node', 22]);
  });

  it('predicts pod-a -> pod-c:8080 exactly as pod-a -> pod-c --port 8080 (tcp, port 8080)', () => {
    const s = loadFixture('article.json');
    const typed = predictTrace(s, { from: 'pod-a', to: 'pod-c:8080' });
    const flag = predictTrace(s, { from: 'pod-a', to: 'pod-c', port: 8080 });
    assert.deepEqual([typed.request.proto, typed.request.port, typed.request.to.ip], ['tcp', 8080, podIP(s, 'pod-c')]);
    assert.deepEqual([typed.disposition, typed.hops.map((h) => h.decision)], [flag.disposition, flag.hops.map((h) => h.decision)]);
  });

  it('refuses a bad port and a port on FROM, naming the word', () => {
    const s = loadFixture('article.json');
    assert.throws(() => resolveEndpoint(s, 'pod-c:0', 'to'), (e: unknown) => e instanceof LabError && /"pod-c:0": port "0" must be a number from 1 to 65535/.test(e.message));
    assert.throws(() => resolveEndpoint(s, 'pod-c:http', 'to'), (e: unknown) => e instanceof LabError && /port "http"/.test(e.message));
    assert.throws(() => resolveEndpoint(s, 'pod-a:80', 'from'), (e: unknown) => e instanceof LabError && /FROM has no port/.test(e.message));
  });
});
