import { strict as assert } from 'node:assert';
import { moveLeadingLabOption } from '../../src/cli/main';

describe('global --lab before or after the command', () => {
  it('moves a leading --lab NAME behind the command, where every command reads it', () => {
    assert.deepEqual(moveLeadingLabOption(['--lab', 'x', 'get', 'pods', '-o', 'wide']), ['get', '--lab', 'x', 'pods', '-o', 'wide']);
    assert.deepEqual(moveLeadingLabOption(['--lab=x', 'lab', 'up']), ['lab', '--lab=x', 'up']);
  });

  it('leaves argv alone when --lab already follows the command, or nothing follows it', () => {
    assert.deepEqual(moveLeadingLabOption(['get', 'pods', '--lab', 'x']), ['get', 'pods', '--lab', 'x']);
    assert.deepEqual(moveLeadingLabOption(['--lab', 'x']), ['--lab', 'x']);
    assert.deepEqual(moveLeadingLabOption(['--labx', 'get']), ['--labx', 'get']);
  });
});
