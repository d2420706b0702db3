/** Deeply nested YAML is refused with "nested too deeply" and a location, never with the parser's stack overflow. */
import { strict as assert } from 'node:assert';
import { validateLabPack } from '../../src/labs/parse';
import { MAX_YAML_NESTING, findTooDeep } from '../../src/model/yamlDepth';
import { ARTICLE_TOPOLOGY_YAML, ARTICLE_WITH_DOCKER_HOST_YAML, validateTopologyText } from '../../src/model/topologySpec';
import { HEAD, makePack } from '../labs/helpers';

const flow = (depth: number) => `nodes: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
const block = (depth: number) => `nodes:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}- x${i}:`).join('\n')}\n`;
const compact = (depth: number) => `nodes:\n  ${'- '.repeat(depth)}x\n`;

describe('YAML nested too deeply', () => {
  for (const [kind, text, line] of [['flow', flow(5000), 1], ['block', block(300), MAX_YAML_NESTING + 1], ['compact sequence', compact(3000), 2]] as const) {
    it(`a topology with ${kind} nesting gets one located "nested too deeply" error, not a stack overflow`, () => {
      const errors = validateTopologyText(text, 'deep.yaml');
      assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
      assert.match(errors[0].format(), new RegExp(`^deep\\.yaml:${line}:\\d+: the file is nested too deeply \\(more than ${MAX_YAML_NESTING} levels`));
      assert.doesNotMatch(errors[0].format(), /call stack/);
    });
  }

  it('a lab.yaml nested too deeply gets a located error too', () => {
    const dir = makePack({ 'lab.yaml': `${HEAD}steps:\n  - id: s1\n    title: ${'['.repeat(4000)}${']'.repeat(4000)}\n` });
    const errors = validateLabPack(dir);
    assert.equal(errors.length, 1, errors.map((e) => e.format()).join('\n'));
    assert.match(errors[0].format(), /lab\.yaml:21:\d+: lab\.yaml is nested too deeply/);
  });

  it('does not count brackets inside quotes or comments, nor ordinary files', () => {
    assert.equal(findTooDeep(`name: '${'['.repeat(200)}'\nx: "${'{'.repeat(200)}" # ${'['.repeat(200)}\n`), undefined);
    assert.equal(findTooDeep(ARTICLE_TOPOLOGY_YAML), undefined);
    assert.equal(findTooDeep(ARTICLE_WITH_DOCKER_HOST_YAML), undefined);
    assert.equal(findTooDeep(flow(MAX_YAML_NESTING - 1)), undefined, 'the limit itself is allowed');
  });
});
