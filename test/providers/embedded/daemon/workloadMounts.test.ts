/** Which host mounts the containers' view makes read-only, and how (pure: from a mountinfo text). */
import { strict as assert } from 'node:assert';
import { DROPPED_CAPS, confineArgv, readMountPoints, readOnlyRemounts } from '../../../../src/providers/embedded/daemon/workloadMounts';
import type { LabTools } from '../../../../src/providers/embedded/tools';

const MOUNTINFO = [
  '22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw',
  '23 22 0:5 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw',
  '24 22 0:6 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw',
  '25 24 0:7 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw',
  '26 22 0:8 / /dev rw,nosuid,relatime - devtmpfs udev rw',
  '27 22 0:9 / /run rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw',
  '28 22 8:2 / /home/a\\040b rw,noatime - ext4 /dev/sda2 rw',
  '29 22 0:10 / /var/lab.state rw,relatime - tmpfs podnet-x rw',
  '30 29 0:4 net:[4026532300] /var/lab.state/ns/node-n1.net rw - nsfs nsfs rw',
  '31 22 0:11 / /tmp rw,nosuid,nodev - tmpfs tmpfs rw',
].join('\n');

describe('workload mounts', () => {
  it('reads mount points with escaped spaces decoded', () => {
    assert.ok(readMountPoints(MOUNTINFO).some((m) => m.path === '/home/a b' && m.options === 'rw,noatime'));
  });

  it('makes every host mount read-only, keeping its other flags, but not /proc, /dev, /tmp, /run or the lab state', () => {
    const plan = readOnlyRemounts(readMountPoints(MOUNTINFO), '/var/lab.state');
    assert.deepEqual(plan, [
      { path: '/', options: 'remount,bind,ro,relatime', required: true },
      { path: '/sys', options: 'remount,bind,ro,nosuid,nodev,noexec,relatime', required: false },
      { path: '/sys/fs/cgroup', options: 'remount,bind,ro,nosuid,nodev,noexec,relatime', required: false },
      { path: '/home/a b', options: 'remount,bind,ro,noatime', required: true },
    ]);
  });

  it('runs workloads through setpriv without CAP_SYS_ADMIN and CAP_SYS_PTRACE in the bounding and inheritable sets', () => {
    const argv = confineArgv({ setpriv: '/usr/bin/setpriv' } as LabTools);
    assert.equal(argv[0], '/usr/bin/setpriv');
    assert.ok(argv[1].startsWith('--bounding-set=-sys_admin,'));
    assert.ok(DROPPED_CAPS.includes('sys_ptrace') && argv[1].includes('-sys_ptrace'));
    assert.deepEqual(argv.slice(2), ['--inh-caps=-all', '--']);
  });
});
