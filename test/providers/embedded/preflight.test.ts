import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PreflightError, locateTools, type PreflightProblem } from '../../../src/providers/embedded/preflight';
import { REQUIRED_CNI_PLUGINS, REQUIRED_TOOLS } from '../../../src/providers/embedded/tools';

/** Writes an executable (or, with mode 0o644, a non-executable) stub program at dir/name. */
function stub(dir: string, name: string, mode = 0o755): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/true\n');
  chmodSync(path, mode);
  return path;
}

const TOOL_NAMES = ['ip', 'unshare', 'nsenter', 'mount', 'umount', 'setpriv', 'busybox'];

describe('preflight', () => {
  let root: string;
  let empty: string;
  let bin: string;
  let cni: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'podnet-preflight-'));
    empty = join(root, 'empty');
    bin = join(root, 'bin');
    cni = join(root, 'cni');
    mkdirSync(empty);
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  describe('locateTools', () => {
    it('reports every missing tool with the Debian package that installs it', () => {
      const { tools, problems } = locateTools(empty, [empty], {});
      assert.equal(tools, undefined);
      const byTool = new Map(problems.filter((p) => p.check === 'tools').map((p) => [p.message.split(' ')[0], p.fix]));
      assert.deepEqual([...byTool.keys()], TOOL_NAMES);
      assert.equal(byTool.get('ip'), 'sudo apt-get install -y iproute2');
      assert.equal(byTool.get('busybox'), 'sudo apt-get install -y busybox');
      assert.equal(byTool.get('nsenter'), 'sudo apt-get install -y util-linux');
      assert.equal(byTool.get('unshare'), 'sudo apt-get install -y util-linux');
      assert.equal(byTool.get('setpriv'), 'sudo apt-get install -y util-linux');
      assert.equal(byTool.get('mount'), 'sudo apt-get install -y mount');
      for (const p of problems.filter((q) => q.check === 'tools')) assert.match(p.message, /^\w+ is not installed\.$/);
    });

    it('reports missing CNI plugins with containernetworking-plugins and where it looked', () => {
      const { problems } = locateTools(empty, [empty], {});
      const cniProblems = problems.filter((p) => p.check === 'cni');
      assert.equal(cniProblems.length, 1);
      assert.match(cniProblems[0].message, /bridge, host-local, loopback/);
      assert.ok(cniProblems[0].message.includes(empty), cniProblems[0].message);
      assert.match(cniProblems[0].fix, /apt-get install -y containernetworking-plugins/);
      assert.match(cniProblems[0].fix, /CNI_PATH/);
    });

    it('returns the paths of stub tools and the CNI folder when everything is there', () => {
      for (const name of TOOL_NAMES) stub(bin, name);
      for (const plugin of REQUIRED_CNI_PLUGINS) stub(cni, plugin);
      const { tools, problems } = locateTools(cni, [empty, bin], {});
      assert.deepEqual(problems, []);
      assert.deepEqual(tools, {
        ip: join(bin, 'ip'), unshare: join(bin, 'unshare'), nsenter: join(bin, 'nsenter'),
        mount: join(bin, 'mount'), umount: join(bin, 'umount'), setpriv: join(bin, 'setpriv'), busybox: join(bin, 'busybox'), cniPath: cni,
      });
    });

    it('takes the first search folder that has a tool', () => {
      const first = join(root, 'first');
      for (const name of TOOL_NAMES) stub(bin, name);
      stub(first, 'ip');
      for (const plugin of REQUIRED_CNI_PLUGINS) stub(cni, plugin);
      assert.equal(locateTools(cni, [first, bin], {}).tools?.ip, join(first, 'ip'));
    });

    it('does not count a file without execute permission as a tool', () => {
      for (const name of TOOL_NAMES) stub(bin, name, name === 'busybox' ? 0o644 : 0o755);
      for (const plugin of REQUIRED_CNI_PLUGINS) stub(cni, plugin);
      const { tools, problems } = locateTools(cni, [bin], {});
      assert.equal(tools, undefined);
      assert.deepEqual(problems.map((p) => p.message), ['busybox is not installed.']);
    });

    it('finds the CNI plugins through CNI_PATH when no folder is configured', () => {
      for (const name of TOOL_NAMES) stub(bin, name);
      for (const plugin of REQUIRED_CNI_PLUGINS) stub(cni, plugin);
      assert.equal(locateTools(undefined, [bin], { CNI_PATH: `${empty}:${cni}` }).tools?.cniPath, cni);
    });

    it('does not accept a CNI folder that lacks one of the plugins', () => {
      stub(cni, 'bridge');
      stub(cni, 'loopback');
      const { problems } = locateTools(cni, [empty], {});
      assert.equal(problems.filter((p) => p.check === 'cni').length, 1);
    });

    it('reports a configured CNI folder that lacks the plugins even when a default folder has them', () => {
      // A default folder with every plugin, given through CNI_PATH so the test does not depend on /usr/lib/cni.
      for (const plugin of REQUIRED_CNI_PLUGINS) stub(cni, plugin);
      for (const name of TOOL_NAMES) stub(bin, name);
      const { tools, problems } = locateTools(empty, [bin], { CNI_PATH: cni });
      assert.equal(tools, undefined);
      assert.equal(problems.length, 1);
      assert.equal(problems[0].check, 'cni');
      assert.ok(problems[0].message.includes(`were not found in ${empty}.`), problems[0].message);
      assert.ok(!problems[0].message.includes(cni + '.') && !problems[0].message.includes('/usr/lib/cni'), 'only the configured folder was searched');
    });
  });

  describe('PreflightError', () => {
    it('message lists every problem, each with its fix, one per line', () => {
      const problems: PreflightProblem[] = locateTools(empty, [empty], {}).problems;
      const err = new PreflightError(problems);
      assert.equal(err.name, 'PreflightError');
      assert.equal(err.problems, problems);
      const lines = err.message.split('\n');
      assert.equal(lines.length, REQUIRED_TOOLS.length + 1);
      problems.forEach((p, i) => assert.equal(lines[i], `${p.message} Fix: ${p.fix}`));
      assert.match(err.message, /ip is not installed\. Fix: sudo apt-get install -y iproute2/);
      assert.match(err.message, /Fix: sudo apt-get install -y containernetworking-plugins/);
    });
  });
});
