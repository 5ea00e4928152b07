#!/usr/bin/env python3
"""kill.py: kills gridplan-cli with SIGKILL at random moments in import, split, people, assign,
events and export, ROUNDS times (200), and checks after each kill that the project file
 - passes PRAGMA integrity_check,
 - opens (gridplan-cli report exits 0),
 - holds exactly the last committed state: its content (every table, timestamps left out) equals
   the content before the command or the content after a complete run of it, nothing in between;
and that an export left no file at all or a whole one (nothing half-written, no temporaries).

Usage: kill.py GRIDPLAN-CLI DEMO-DIR WORK-DIR [ROUNDS] [SEED]"""
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile

# Columns that record when, not what: they differ between two runs of the same command.
SKIP_COLUMNS = {('gpkg_contents', 'last_change'), ('edit_log', 'time')}
SKIP_META = ('created', 'modified')


def fingerprint(path):
    """A hash of the project's content, or an error text when it cannot be read."""
    # Read-write, as the next program to open it would: SQLite rolls a hot journal back first.
    db = sqlite3.connect(path)
    try:
        ok = db.execute('PRAGMA integrity_check').fetchone()[0]
        if ok != 'ok':
            return None, 'integrity_check: %s' % ok
        digest = hashlib.sha256()
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            cols = [r[1] for r in db.execute('PRAGMA table_info("%s")' % table)
                    if (table, r[1]) not in SKIP_COLUMNS]
            query = 'SELECT %s FROM "%s"' % (', '.join('"%s"' % c for c in cols), table)
            if table == 'app_meta':
                query += " WHERE key NOT IN ('created', 'modified')"
            rows = sorted(repr(r) for r in db.execute(query))
            digest.update(('%s:%d\n' % (table, len(rows))).encode())
            for r in rows:
                digest.update(r.encode())
        return digest.hexdigest(), None
    finally:
        db.close()


def run(cli, args, env):
    return subprocess.run([cli] + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)


def main():
    cli, demo, work = sys.argv[1], sys.argv[2], sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 200
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 2026)
    env = dict(os.environ, LANGUAGE='en', LC_ALL='C.UTF-8')
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    # The states one after another, each made by a complete run: (name, before, args, after).
    def p(name):
        return os.path.join(work, name + '.gpkg')

    steps = []
    assert run(cli, ['new', p('0-new')], env).returncode == 0
    chain = [
        ('import areas', ['import', '{P}', os.path.join(demo, '行政区划.shp'), '--as', 'areas']),
        ('import units', ['import', '{P}', os.path.join(demo, '小区与村民小组.shp'), '--as', 'units']),
        ('split', ['split', '{P}', '--target', '300']),
        ('people', ['people', '{P}', os.path.join(demo, '花名册.csv')]),
        ('assign', ['assign', '{P}']),
        ('events', ['events', '{P}', os.path.join(demo, '服务事项.csv')]),
        ('re-split', ['split', '{P}', '--target', '250']),
    ]
    before = p('0-new')
    for i, (name, args) in enumerate(chain):
        after = p('%d-%s' % (i + 1, name.replace(' ', '-')))
        shutil.copy(before, after)
        start = time.monotonic()
        r = run(cli, [a.replace('{P}', after) for a in args], env)
        took = time.monotonic() - start
        if r.returncode != 0:
            print('%s failed on a complete run: %s' % (name, r.stderr.decode(errors='replace')))
            return 1
        steps.append((name, before, args, after, took))
        before = after
    exports = [('export list', ['export', '{P}', '--list', '{O}.xlsx'], '.xlsx'),
               ('export grids', ['export', '{P}', '--grids', '{O}.shp'], '.shp'),
               ('export map', ['export', '{P}', '--map', '{O}.pdf'], '.pdf')]
    final = before
    export_took = {}
    for name, args, ext in exports:
        out = os.path.join(work, 'ref-' + name.replace(' ', '-'))
        start = time.monotonic()
        r = run(cli, [a.replace('{P}', final).replace('{O}', out) for a in args], env)
        export_took[name] = time.monotonic() - start
        if r.returncode != 0:
            print('%s failed on a complete run: %s' % (name, r.stderr.decode(errors='replace')))
            return 1
    prints = {s[1]: fingerprint(s[1])[0] for s in steps}
    prints.update({s[3]: fingerprint(s[3])[0] for s in steps})

    killed = {'before': 0, 'after': 0, 'export absent': 0, 'export whole': 0, 'swept': 0}
    failures = 0
    for k in range(rounds):
        target = os.path.join(work, 'target.gpkg')
        for leftover in ('', '-journal', '-wal', '-shm'):
            if os.path.exists(target + leftover):
                os.remove(target + leftover)
        if rng.random() < 0.25:
            name, args, ext = rng.choice(exports)
            shutil.copy(final, target)
            out = os.path.join(work, 'out')
            for f in os.listdir(work):
                if f.startswith('out'):
                    os.remove(os.path.join(work, f))
            took, states = export_took[name], (prints[final], prints[final])
            argv = [a.replace('{P}', target).replace('{O}', out) for a in args]
        else:
            name, before, args, after, took = rng.choice(steps)
            shutil.copy(before, target)
            states = (prints[before], prints[after])
            argv = [a.replace('{P}', target) for a in args]
        delay = rng.uniform(0, took * 1.1)
        proc = subprocess.Popen([cli] + argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()

        problem = None
        if run(cli, ['report', target], env).returncode != 0:
            got, error = None, 'the project does not open after the kill'
        else:
            got, error = fingerprint(target)
        if error:
            problem = error
        elif got not in states:
            problem = 'the project holds neither the state before nor the state after'
        else:
            # report may have changed nothing: fingerprint again.
            killed['before' if got == states[0] and states[0] != states[1] else 'after'] += 1
        if problem is None and name.startswith('export'):
            outs = sorted(f for f in os.listdir(work) if f.startswith('out'))
            debris = sorted(f for f in os.listdir(work) if f.startswith('.out'))
            if not outs:
                killed['export absent'] += 1
            else:
                problem = check_export(work, outs, ext)
                if problem is None:
                    killed['export whole'] += 1
            if problem is None and debris:
                problem = check_swept(cli, env, work, debris, argv)
                if problem is None:
                    killed['swept'] += 1
        if problem:
            failures += 1
            keep = os.path.join(work, 'failed-%03d.gpkg' % k)
            shutil.copy(target, keep)
            print('round %d: %s killed after %.3f s: %s (kept as %s)' % (k, name, delay, problem, keep))
    print('%d kills: %d left the state before, %d the state after; exports: %d left nothing, %d whole files, '
          '%d hidden temporaries swept by the next export; %d failed'
          % (rounds, killed['before'], killed['after'], killed['export absent'], killed['export whole'],
             killed['swept'], failures))
    return 1 if failures else 0


def check_swept(cli, env, work, debris, argv):
    """A killed writer leaves its hidden temporary (.out.pdf.XXXXXX.part, .out.XXXXXX/); it must be
    one of those, and the next export of the same target, once it is stale, must remove it."""
    import re
    for f in debris:
        if not re.fullmatch(r'\.out(\.[a-z]+)?\.[A-Za-z0-9]{6}(\.part(-journal|-wal|-shm)?)?', f):
            return 'an unexpected file left behind: %s' % f
    old = time.time() - 60
    for f in debris:
        os.utime(os.path.join(work, f), (old, old))
    if run(cli, argv, env).returncode != 0:
        return 'the export fails after a kill'
    left = sorted(f for f in os.listdir(work) if f.startswith('.out'))
    if left:
        return 'the next export left the temporaries of the killed one: %s' % ' '.join(left)
    return None


def check_export(work, outs, ext):
    """None when the files an export left are whole: the named outputs only, complete."""
    stray = [f for f in outs if not f.startswith('out' + '.') and not f == 'out' + ext]
    if ext == '.shp':
        want = {'out.shp', 'out.shx', 'out.dbf', 'out.prj', 'out.cpg'}
        if set(outs) != want:
            return 'a partial shapefile: %s' % ' '.join(outs)
        return None
    if outs != ['out' + ext] or stray:
        return 'files left behind: %s' % ' '.join(outs)
    path = os.path.join(work, 'out' + ext)
    if ext == '.xlsx':
        try:
            with zipfile.ZipFile(path) as z:
                if z.testzip() is not None:
                    return 'a broken workbook'
        except zipfile.BadZipFile:
            return 'a half-written workbook'
    if ext == '.pdf':
        with open(path, 'rb') as f:
            data = f.read()
        if not data.startswith(b'%PDF') or b'%%EOF' not in data[-64:]:
            return 'a half-written PDF'
    return None


if __name__ == '__main__':
    sys.exit(main())
