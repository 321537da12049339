"""semver suite (issue 3): semver and semverCompare (Masterminds constraints)."""
from gsrc import Suite

SUITE = s = Suite("semver")
VERS = ["1.2.3", "v1.2.3", "1.2", "1", "1.2.3-beta.1+build.5", "0.0.0", "1.2.3-alpha", "10.20.30"]
s.exprs("semver-fields", ['(semver "%s").Major' % v for v in VERS])
s.exprs("semver-fields-2", ['printf "%%d.%%d.%%d %%s %%s" (semver "%s").Major (semver "%s").Minor (semver "%s").Patch (semver "%s").Prerelease (semver "%s").Metadata' % ((v,) * 5) for v in VERS])
s.exprs("semver-print", ['semver "1.2.3"', '(semver "v1.2").Original', '(semver "1.2.3").String'])
s.exprs("semver-compare-method", ['(semver "1.2.3").Compare (semver "1.2.4")',
                                  '(semver "1.2.3").LessThan (semver "1.3.0")',
                                  '(semver "2.0.0").GreaterThan (semver "1.9.9")'])
s.err("semver-bad", 'semver "not.a.version"')
s.err("semver-empty", 'semver ""')
CONS = [(">=1.2.0", "1.2.3"), ("~1.2.0", "1.2.9"), ("~1.2.0", "1.3.0"), ("^1.2.0", "1.9.0"), ("^1.2.0", "2.0.0"),
        ("1.2.x", "1.2.7"), ("*", "0.0.1"), (">=1.0.0 <2.0.0", "1.5.0"), (">1 || <0.5", "0.4.0"),
        ("=1.2.3", "v1.2.3"), ("!=1.2.3", "1.2.3"), (">=1.20.0-0", "1.21.0-gke.100"),
        (">=1.20.0", "1.21.0-gke.100"), ("1.2.3 - 1.4.5", "1.3.0"), ("^0.2.3", "0.2.9"), ("^0.2.3", "0.3.0"),
        ("~1", "1.9.9"), (">= 1.2, < 3.0.0", "2.5.0"), ("<=1.2.3", "1.2.3"), ("^1.x", "1.3.0")]
for i in range(0, len(CONS), 5):
    s.exprs("semverCompare-%d" % (i // 5 + 1),
            ['semverCompare "%s" "%s"' % c for c in CONS[i:i + 5]])
s.err("semverCompare-bad-constraint", 'semverCompare ">>1" "1.0.0"')
s.err("semverCompare-bad-version", 'semverCompare ">1" "x.y"')
s.exprs("semverCompare-kube", ['semverCompare ">=1.19-0" .Capabilities.KubeVersion.GitVersion',
                               'semverCompare "<1.19" .Capabilities.KubeVersion.Version'])
