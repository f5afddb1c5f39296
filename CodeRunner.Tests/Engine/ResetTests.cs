using System.Diagnostics;
using CodeRunner.Tests.Infrastructure;

namespace CodeRunner.Tests.Engine;

/// <summary>
/// Nothing of one run reaches the next: hostile runs leave every kind of state they can in every writable place, then
/// a run in every warm container of the pool must find a clean workspace that works as usual.
/// </summary>
[Collection(DockerCollection.Name)]
public sealed class ResetTests(EngineFixture fixture)
{
    /// <summary>Plants every kind of leftover in every writable place; runs as the program user, like any program.</summary>
    private const string PlantEverything = """
        import ctypes, os, socket, struct, subprocess
        print(socket.gethostname())
        # A POSIX ACL in the kernel's xattr format (version 2, then tag, perm, id per entry): nobody may do anything.
        NO_ACCESS = struct.pack('<I', 2) + b''.join(struct.pack('<HHI', tag, 0, 0xFFFFFFFF) for tag in (0x01, 0x04, 0x20))
        took, keep = [], []

        def attempt(what, action):
            try:
                action()
                took.append(what)
            except OSError:
                pass

        def write(path, mode=0o644):
            with open(path, 'w') as f:
                f.write('left by run A')
            os.chmod(path, mode)

        def deep(root, levels=20000):
            fd = os.open(root, os.O_RDONLY)
            for _ in range(levels):
                os.mkdir('d', dir_fd=fd)
                child = os.open('d', os.O_RDONLY, dir_fd=fd)
                os.close(fd)
                fd = child
            os.write(os.open('leaf', os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=fd), b'deep')
            os.close(fd)

        for root in ['/workspace', '/build', '/tmp', '/dev/shm']:
            at = lambda name: os.path.join(root, name)
            os.mkfifo(at('fifo'))
            server = socket.socket(socket.AF_UNIX)
            server.bind(at('socket'))
            server.listen()
            keep.append(server)
            for name, mode in [('setuid', 0o4755), ('setgid', 0o2755), ('sticky', 0o1644), ('no-access', 0)]:
                write(at(name), mode)
            os.link(at('setuid'), at('hard-link'))
            os.symlink('/etc/passwd', at('link-out'))
            os.symlink('/', at('link-root'))
            os.symlink('loop', at('loop'))
            os.makedirs(at('closed/inner'))
            write(at('closed/inner/file'))
            os.chmod(at('closed/inner'), 0)
            os.chmod(at('closed'), 0)
            for name, mode in [('sticky-dir', 0o1777), ('setgid-dir', 0o2775)]:
                os.mkdir(at(name))
                write(os.path.join(at(name), 'file'))
                os.chmod(at(name), mode)
            os.mkdir(at('acl-dir'))
            os.setxattr(at('acl-dir'), 'system.posix_acl_default', NO_ACCESS)
            os.setxattr(at('acl-dir'), 'user.planted', b'run A')
            write(at('acl-dir/file'))
            deep(root)
            os.mkdir(at('wide'))
            for i in range(5000):
                open(at(f'wide/{i}'), 'w').close()

        # Last, so that the planting above is not hindered: the mount roots themselves.
        for root in ['/workspace', '/build', '/tmp', '/dev/shm']:
            os.utime(root)  # "now" is allowed to anyone who may write there; the reset sets a fixed time again
            attempt(f'{root}: timestamps', lambda: os.utime(root, (1, 1)))
            attempt(f'{root}: xattr', lambda: os.setxattr(root, 'user.planted', b'run A'))
            attempt(f'{root}: default ACL', lambda: os.setxattr(root, 'system.posix_acl_default', NO_ACCESS))
            attempt(f'{root}: access ACL', lambda: os.setxattr(root, 'system.posix_acl_access', NO_ACCESS))
            attempt(f'{root}: chmod', lambda: os.chmod(root, 0o700))

        libc = ctypes.CDLL(None, use_errno=True)
        assert libc.mq_open(b'/planted', os.O_CREAT | os.O_RDWR, 0o600, None) >= 0
        attempt('/dev/mqueue: xattr', lambda: os.setxattr('/dev/mqueue', 'user.planted', b'run A'))
        attempt('/dev/mqueue: chmod', lambda: os.chmod('/dev/mqueue', 0o700))
        assert libc.shmget(0x1234, 4096, 0o1666) >= 0
        assert libc.msgget(0x1235, 0o1666) >= 0
        assert libc.semget(0x1236, 1, 0o1666) >= 0
        if libc.syscall(248, b'user', b'planted', b'run A', 5, -3) >= 0:  # add_key, to the session keyring
            took.append('a key in a kernel keyring')
        abstract = socket.socket(socket.AF_UNIX)
        abstract.bind('\0coderunner-planted')
        abstract.listen()
        subprocess.Popen(['sleep', '300'], start_new_session=True, pass_fds=[abstract.fileno()])
        subprocess.Popen(['nohup', 'sleep', '300'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ['LEAKED'] = 'yes'
        print('took', took)
        """;

    /// <summary>Fills a writable mount to the last byte: memory allows one at a time, so this runs in another container.</summary>
    private const string FillTheWorkspace = """
        import errno, os, socket
        print(socket.gethostname())
        with open('/workspace/fill', 'wb', buffering=0) as f:
            try:
                while True:
                    f.write(b'x' * (1 << 20))
            except OSError as e:
                assert e.errno == errno.ENOSPC, e
        print('full')
        """;

    /// <summary>What every run must find: empty roots as Docker made them, files with the usual modes, nothing running.</summary>
    private const string Check = """
        import os, socket, stat, time
        print(socket.gethostname())
        problems = []

        def xattrs(path):
            try:
                return os.listxattr(path, follow_symlinks=False)
            except OSError:
                return []  # /dev/mqueue has none to list

        for root in ['/workspace', '/build', '/tmp', '/dev/shm', '/dev/mqueue']:
            st = os.stat(root)
            if (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) != (0, 0, 0o1777):
                problems.append(f'{root} is {st.st_uid}:{st.st_gid} mode {oct(stat.S_IMODE(st.st_mode))}')
            if xattrs(root):
                problems.append(f'{root} carries {xattrs(root)}')
            left = sorted(set(os.listdir(root)) - {'check.py'})
            if left:
                problems.append(f'{root} holds {left[:5]}')
            if root != '/workspace' and st.st_mtime != 946684800:
                problems.append(f'{root} has the timestamp {st.st_mtime}')

        for root in ['/workspace', '/build', '/tmp', '/dev/shm']:
            folder = os.path.join(root, 'mine')
            os.mkdir(folder)
            path = os.path.join(folder, 'file.txt')
            with open(path, 'w') as f:
                f.write('my own')
            for p, expected in [(folder, 0o755), (path, 0o644)]:
                if stat.S_IMODE(os.stat(p).st_mode) != expected or xattrs(p):
                    problems.append(f'{p} got mode {oct(stat.S_IMODE(os.stat(p).st_mode))} and {xattrs(p)}')
            if open(path).read() != 'my own':
                problems.append(f'{path} cannot be read back')

        others = [p for p in os.listdir('/proc') if p.isdigit() and int(p) not in (1, os.getpid())]
        sysv = [line for name in ['shm', 'msg', 'sem'] for line in open(f'/proc/sysvipc/{name}').read().splitlines()[1:]]
        probe = socket.socket(socket.AF_UNIX)
        try:
            probe.bind('\0coderunner-planted')
        except OSError:
            problems.append('the abstract socket is still bound')
        for kind, found in [('processes', others), ('System V IPC objects', sysv)]:
            if found:
                problems.append(f'{kind}: {found}')
        if os.environ.get('LEAKED'):
            problems.append('the environment leaked')
        time.sleep(2)  # holds the container, so that the other checks run in the other containers
        print('problems', problems)
        """;

    [Fact]
    public async Task EveryWarmContainer_AfterHostileRuns_GivesTheNextRunACleanWorkingWorkspace()
    {
        var pool = fixture.Internal.Pools.Values.Single(p => p.Runtime.Name == "python");
        await WaitUntilAsync(() => pool.IdleCount >= EngineFixture.PoolSize, "the python pool to be warm");
        await using var session = fixture.Engine.CreateSession();

        // Both at once, so that each takes its own warm container.
        var planted = await Task.WhenAll(session.RunAsync("plant.py", PlantEverything), session.RunAsync("fill.py", FillTheWorkspace));
        Assert.All(planted, p => Assert.True(p.Verdict.Succeeded, p.ToString()));
        Assert.Contains("full", planted[1].Stdout);
        var hosts = planted.Select(p => p.Stdout.Split('\n')[0]).ToList();
        Assert.Equal(2, hosts.Distinct().Count());

        // Every container comes back from its reset: none was given up.
        await WaitUntilAsync(() => pool.IdleCount == pool.LiveCount && hosts.All(h => pool.ContainerIds.Any(id => id.StartsWith(h, StringComparison.Ordinal))),
            "the planted containers to be reset and warm again", TimeSpan.FromSeconds(60));
        var count = pool.IdleCount;
        var checks = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => session.RunAsync("check.py", Check)));

        Assert.All(checks, c => Assert.True(c.Verdict.Succeeded && c.Stdout.Contains("problems []"), c.ToString()));
        var checkedHosts = checks.Select(c => c.Stdout.Split('\n')[0]).ToHashSet();
        Assert.Equal(count, checkedHosts.Count);
        Assert.Superset(hosts.ToHashSet(), checkedHosts);
        Assert.Contains("took []", planted[0].Stdout); // nothing about a mount root could be changed in the first place
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)), $"Timed out waiting for {what}.");
            await Task.Delay(100);
        }
    }
}
