import { strict as assert } from 'node:assert';
import { RunError, ToolMissingError, prettyCommand, run, runOk } from '../../src/util/exec';
import { running } from '../support/processState';

/** argv that runs a line of JavaScript in a fresh node process. */
function node(script: string): string[] {
  return [process.execPath, '-e', script];
}

describe('exec', () => {
  describe('run', () => {
    it('resolves with the stdout, stderr and exit code of a real program', async () => {
      const r = await run(node('process.stdout.write("out"); process.stderr.write("err"); process.exitCode = 3'));
      assert.deepEqual(r, { code: 3, signal: null, stdout: 'out', stderr: 'err', timedOut: false });
    });

    it('writes input to the child stdin and closes it', async () => {
      const r = await run(node('let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => process.stdout.write(s.toUpperCase()))'), { input: 'hello\nworld' });
      assert.equal(r.code, 0);
      assert.equal(r.stdout, 'HELLO\nWORLD');
    });

    it('passes argv through without a shell, so spaces and quotes arrive as they are', async () => {
      const r = await run([process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', "a b", "it's", '$HOME;|']);
      assert.deepEqual(JSON.parse(r.stdout), ['a b', "it's", '$HOME;|']);
    });

    it('kills a child that outlives timeoutMs and reports timedOut', async () => {
      const started = Date.now();
      const r = await run(node('setTimeout(() => {}, 10000)'), { timeoutMs: 200 });
      assert.equal(r.timedOut, true);
      assert.equal(r.signal, 'SIGKILL');
      assert.ok(Date.now() - started < 5000, 'returned long before the child would have ended');
    });

    it('on a timeout also kills what the child started (a grandchild holding the output pipe), and does not wait for it', async () => {
      // Like `nsenter ... -- wget`: the real program is a grandchild; it keeps stdout open and would outlive the child.
      let grandchild = 0;
      const r = await run(['sh', '-c', 'sleep 30 & echo $!; wait'], { timeoutMs: 500, onStdout: (t) => (grandchild ||= Number(t.trim())) });
      assert.equal(r.timedOut, true);
      assert.ok(grandchild > 0, 'the grandchild reported its pid');
      await new Promise((r) => setTimeout(r, 100)); // SIGKILL is delivered at once; give the kernel a moment to end it
      assert.equal(running(grandchild), false, 'the grandchild is gone');
    });

    it('rejects with a ToolMissingError naming the tool when the program does not exist', async () => {
      const missing = '/nonexistent/podnet-no-such-tool';
      await assert.rejects(run([missing, '--version']), (e: unknown) => {
        assert.ok(e instanceof ToolMissingError);
        assert.equal(e.tool, missing);
        assert.match(e.message, /podnet-no-such-tool was not found/);
        return true;
      });
    });
  });

  describe('prettyCommand', () => {
    it('leaves plain words bare and single-quotes spaces and quotes so the line can be pasted into a shell', () => {
      assert.equal(prettyCommand(['ip', '-n', 'pod-a', 'addr']), 'ip -n pod-a addr');
      assert.equal(prettyCommand(['echo', 'two words', "it's"]), `echo 'two words' 'it'\\''s'`);
      assert.equal(prettyCommand(['x', '']), "x ''");
    });
  });

  describe('runOk', () => {
    it('resolves with the result when the program exits 0', async () => {
      const r = await runOk(node('process.stdout.write("fine")'));
      assert.equal(r.stdout, 'fine');
    });

    it('throws a RunError whose message holds the context, the copy-pasteable command, the exit code and the stderr tail', async () => {
      const argv = node('console.error("line1\\nline2\\nline3\\nline4 it\'s broken"); process.exit(2)');
      await assert.rejects(runOk(argv, {}, 'listing links on node1'), (e: unknown) => {
        assert.ok(e instanceof RunError);
        assert.deepEqual(e.argv, argv);
        assert.equal(e.result.code, 2);
        const prefix = `listing links on node1: ${prettyCommand(argv)} exited with 2: `;
        assert.ok(e.message.startsWith(prefix), e.message);
        assert.ok(prefix.includes(`'\\''`), 'the single quote in the script is shell-quoted');
        assert.equal(e.message.slice(prefix.length), "line2 | line3 | line4 it's broken", 'the last three lines of stderr');
        return true;
      });
    });

    it('throws a RunError saying "timed out" when the program is killed by the timeout', async () => {
      await assert.rejects(runOk(node('setTimeout(() => {}, 10000)'), { timeoutMs: 200 }), (e: unknown) => {
        assert.ok(e instanceof RunError);
        assert.equal(e.result.timedOut, true);
        assert.match(e.message, / timed out$/);
        return true;
      });
    });
  });
});

describe('run streams output', () => {
  it('hands stdout to onStdout as it arrives without splitting a multi-byte character at a chunk edge', async () => {
    // 65,535 ASCII bytes then a 2-byte "é": the pipe's 64 KiB chunk boundary falls inside the character.
    const script = "process.stdout.write('a'.repeat(65535)); process.stdout.write(Buffer.from('é'.repeat(1000)));";
    const parts: string[] = [];
    const res = await run([process.execPath, '-e', script], { onStdout: (t) => parts.push(t) });
    const streamed = parts.join('');
    assert.equal(streamed, res.stdout);
    assert.ok(!streamed.includes('\uFFFD'), 'a replacement character means a character was split');
    assert.equal(streamed.length, 65535 + 1000);
  });

  it('kills the child when the signal aborts and says so in the result', async () => {
    const ctl = new AbortController();
    const pending = run(['sleep', '30'], { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    const res = await pending;
    assert.equal(res.aborted, true);
    assert.equal(res.signal, 'SIGTERM');
  });
});
