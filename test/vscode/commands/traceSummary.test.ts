/** The trace notification's line for a Service: the DNAT from the Service address to the endpoint reached, among how many. */
import { strict as assert } from 'node:assert';
import { traceSummary } from '../../../src/vscode/commands/traceSummary';
import { serviceTrace, tunnelTrace } from '../../webview/overlayFixtures';

describe('trace notification', () => {
  it('names the DNAT of a Service trace: the Service address, the endpoint the probe reached and the number of candidates', () => {
    const text = traceSummary(serviceTrace());
    assert.match(text, /^pod-a → web: /);
    assert.match(text, / · DNAT 10\.96\.0\.100:80 → 10\.244\.2\.2:8080 \(one of 2\)\./);
  });

  it('says nothing of DNAT for a Pod-to-Pod trace', () => {
    assert.doesNotMatch(traceSummary(tunnelTrace()), /DNAT/);
  });
});
