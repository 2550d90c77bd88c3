"""The compiled-rubric cache: a second load is a load, never a wrong rubric.

Every test points HTX_RULES_CACHE_DIR at a folder of its own.  "From the
cache" is proved, not assumed: the compiler is made to fail, and the load
must still succeed.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

import htx_rules
from htx_rules import rubric as rubric_module
from htx_rules import rubric_cache
from htx_rules._resources import CACHE_VARIABLE
from htx_rules.codegen import GeneratedFunction, picklable_state, restored_state
from tests.conftest import EXAMPLES_2021, ROOT, RUBRIC_2021
from tests.test_codegen_safety import (
    GENERATED_STRINGS,
    NASTY,
    NASTY_EVIDENCE,
    SHADOWING_NAMES,
    safety_rubric,
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of the test's own."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    return cache


@pytest.fixture
def no_compiler(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to compile a rubric fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the rubric was compiled, not loaded from the cache")

    monkeypatch.setattr(rubric_module, "compile_model", refuse)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("rubric-*.pickle"))


def copy_2021(folder: Path, name: str = "2021.rules") -> Path:
    target = folder / name
    target.write_bytes(RUBRIC_2021.read_bytes())
    return target


def examples() -> list[htx_rules.EvidenceDocument]:
    """The eight example districts of 2021 (JSON and TOML)."""
    files = sorted(f for f in EXAMPLES_2021.iterdir() if f.suffix in (".json", ".toml"))
    assert len(files) == 8
    return [
        (htx_rules.parse_evidence_toml if f.suffix == ".toml" else htx_rules.parse_evidence_json)(
            f.read_text(encoding="utf-8"), str(f)
        )
        for f in files
    ]


def scored(rubric: htx_rules.Rubric) -> list[str]:
    """Every example scored, as the JSON of its result with the whole trace."""
    return [
        rubric.score(d.evidence, contestant=d.contestant, assessments=d.assessments).to_json("en")
        for d in examples()
    ]


class TestSecondLoad:
    """The second load comes from the cache and is the same rubric."""

    def test_equal_rubric_and_results(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Same model, source, name and hash; the eight districts score the same,
        traces and explanations included."""
        first = htx_rules.load(RUBRIC_2021)
        assert len(entries(folder)) == 1
        monkeypatch.setattr(rubric_module, "compile_model", None)  # cannot compile now
        second = htx_rules.load(RUBRIC_2021)
        assert second is not first
        assert second.model == first.model
        assert second.source == first.source
        assert second.source.name == str(RUBRIC_2021)
        assert second.sha256 == first.sha256
        assert second.assessed.keys() == first.assessed.keys()
        assert scored(second) == scored(first)
        document = examples()[0]
        one, other = (
            r.score(document.evidence, contestant=document.contestant) for r in (first, second)
        )
        assert one.explain("vi") == other.explain("vi")
        assert one.trace == other.trace

    def test_second_load_does_not_parse(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With the compiler broken after a first load, the rubric still loads;
        with ``cache=False`` the same load reaches the broken compiler."""
        htx_rules.load(RUBRIC_2021)

        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("the rubric was compiled, not loaded from the cache")

        monkeypatch.setattr(rubric_module, "compile_model", refuse)
        assert htx_rules.load(RUBRIC_2021).id == "thi_dua_kttt_htx_2021"
        with pytest.raises(AssertionError, match="compiled"):
            htx_rules.load(RUBRIC_2021, cache=False)

    def test_loaded_from_cache_without_the_parser(self, folder: Path) -> None:
        """In a fresh process, a cached load imports neither Lark nor the compiler."""
        htx_rules.load(RUBRIC_2021)
        code = textwrap.dedent(
            f"""
            import sys, htx_rules
            htx_rules.load({str(RUBRIC_2021)!r})
            print(sorted(m for m in ("lark", "htx_rules.parser", "htx_rules.builder")
                         if m in sys.modules))
            """
        )
        env = {**os.environ, CACHE_VARIABLE: str(folder)}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        assert done.stdout.strip() == "[]"

    def test_errors_are_never_cached(self, folder: Path, tmp_path: Path) -> None:
        """A rubric with errors raises the same error every time, and leaves no entry."""
        broken = tmp_path / "broken.rules"
        broken.write_text(
            RUBRIC_2021.read_text(encoding="utf-8").replace("max 50", "max 51", 1),
            encoding="utf-8",
        )
        texts = []
        for _ in range(2):
            with pytest.raises(htx_rules.RubricCompileError) as error:
                htx_rules.load(broken)
            texts.append(error.value.render("vi"))
        assert texts[0] == texts[1]
        assert f"{broken}:" in texts[0]
        assert entries(folder) == []

    def test_cache_false_compiles_and_writes_nothing(self, folder: Path, no_compiler: None) -> None:
        """``cache=False`` compiles even when an entry exists, and writes none."""
        with pytest.raises(AssertionError, match="compiled"):
            htx_rules.load(RUBRIC_2021, cache=False)
        assert not folder.exists() or entries(folder) == []

    def test_loads_uses_the_cache_only_when_asked(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """``loads`` does not cache by default; with ``cache=True`` its second
        call is a load, keyed by the text, the name and the hash given."""
        text = RUBRIC_2021.read_text(encoding="utf-8")
        htx_rules.loads(text, "a.rules")
        assert entries(folder) == []
        first = htx_rules.loads(text, "a.rules", cache=True)
        htx_rules.loads(text, "a.rules", sha256="0" * 64, cache=True)
        assert len(entries(folder)) == 2
        monkeypatch.setattr(rubric_module, "compile_model", None)
        second = htx_rules.loads(text, "a.rules", cache=True)
        assert second.model == first.model
        assert second.sha256 == first.sha256
        assert htx_rules.loads(text, "a.rules", sha256="0" * 64, cache=True).sha256 == "0" * 64


class TestKey:
    """An entry is used only for the same bytes, name, engine and Python."""

    def test_one_byte_makes_another_entry(self, folder: Path, tmp_path: Path) -> None:
        """Two files that differ in one byte of a label: two entries, two labels."""
        original = copy_2021(tmp_path)
        changed = tmp_path / "changed.rules"
        raw = original.read_bytes()
        changed.write_bytes(raw.replace(b'"', b'"X', 1))
        one = htx_rules.load(original)
        two = htx_rules.load(changed)
        assert len(entries(folder)) == 2
        assert one.title != two.title
        # Rewriting the first file in place is a new key too.
        original.write_bytes(changed.read_bytes())
        assert htx_rules.load(original).title == two.title
        assert len(entries(folder)) == 3

    def test_the_name_is_part_of_the_key(self, folder: Path, tmp_path: Path) -> None:
        """The same bytes under another name: its own entry, its own name in spans."""
        a = copy_2021(tmp_path, "a.rules")
        b = copy_2021(tmp_path, "b.rules")
        htx_rules.load(a)
        loaded = htx_rules.load(b)
        assert len(entries(folder)) == 2
        assert loaded.source.name == str(b)
        assert loaded.model.header.span.file == str(b)

    def test_engine_and_python_are_part_of_the_key(
        self, folder: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Another engine version, module, grammar or Python gives another key."""
        key = rubric_cache.entry_key("bytes", "abc", "x.rules", "abc")
        assert key == rubric_cache.entry_key("bytes", "abc", "x.rules", "abc")
        assert key != rubric_cache.entry_key("text", "abc", "x.rules", "abc")
        changes: list[tuple[object, str, object]] = [
            (rubric_cache, "__version__", "999.0"),
            (sys, "version", sys.version + " other"),
            (rubric_cache, "FORMAT", rubric_cache.FORMAT + 1),
        ]
        for target, attribute, value in changes:
            with monkeypatch.context() as patch:
                rubric_cache._engine_stamp.cache_clear()
                patch.setattr(target, attribute, value)
                assert rubric_cache.entry_key("bytes", "abc", "x.rules", "abc") != key, attribute
            rubric_cache._engine_stamp.cache_clear()
        assert rubric_cache.entry_key("bytes", "abc", "x.rules", "abc") == key

    def test_an_edited_module_is_another_engine(self, folder: Path) -> None:
        """A module of the package changed (here: its time of change, put back
        after): the old entry is not used."""
        htx_rules.load(RUBRIC_2021)
        module = Path(rubric_cache.__file__).with_name("printer.py")
        status = module.stat()
        try:
            os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
            rubric_cache._engine_stamp.cache_clear()
            htx_rules.load(RUBRIC_2021)
            assert len(entries(folder)) == 2
        finally:
            os.utime(module, ns=(status.st_atime_ns, status.st_mtime_ns))
            rubric_cache._engine_stamp.cache_clear()
        htx_rules.load(RUBRIC_2021)
        assert len(entries(folder)) == 2


class TestDamagedEntries:
    """A damaged, truncated or foreign entry is ignored and written again."""

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
            pytest.param(lambda data: data[:-100] + bytes(100), id="zeros-at-the-end"),
            pytest.param(lambda data: b"", id="empty"),
            pytest.param(lambda data: b"not a cache file\n" + data, id="no-magic"),
            pytest.param(
                lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:], id="one-bit"
            ),
        ],
    )
    def test_damaged_entry(self, folder: Path, damage: types.FunctionType) -> None:
        """The load compiles, gives the right rubric, and leaves a good entry."""
        expected = htx_rules.load(RUBRIC_2021)
        (entry,) = entries(folder)
        good = entry.read_bytes()
        entry.write_bytes(damage(good))
        again = htx_rules.load(RUBRIC_2021)
        assert again.model == expected.model
        assert entry.read_bytes() == good
        assert isinstance(rubric_cache._decode(good, entry.name[7:-7]), htx_rules.Rubric)

    def test_foreign_entry(self, folder: Path, tmp_path: Path) -> None:
        """A whole, valid entry of another rubric under this rubric's name is not used."""
        other = copy_2021(tmp_path, "other.rules")
        htx_rules.load(RUBRIC_2021)
        (mine,) = entries(folder)
        htx_rules.load(other)
        (theirs,) = [e for e in entries(folder) if e != mine]
        mine.write_bytes(theirs.read_bytes())
        loaded = htx_rules.load(RUBRIC_2021)
        assert loaded.source.name == str(RUBRIC_2021)

    def test_entry_that_is_not_a_rubric(self, folder: Path) -> None:
        """A well-formed entry holding something else (or another rubric's hash) is not used."""
        digest = rubric_module.sha256_hex(RUBRIC_2021.read_bytes())
        key = rubric_cache.entry_key("bytes", digest, str(RUBRIC_2021), digest)
        rubric_cache.write_entry(key, "not a rubric")
        assert rubric_cache.read_entry(key) == "not a rubric"
        assert htx_rules.load(RUBRIC_2021).id == "thi_dua_kttt_htx_2021"
        assert isinstance(rubric_cache.read_entry(key), htx_rules.Rubric)


class TestFolder:
    """Where entries go, and a folder that cannot hold them."""

    def test_unwritable_folder(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A cache path that cannot be a folder: loading works, twice, with no error."""
        blocker = tmp_path / "file"
        blocker.write_text("x")
        monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
        for _ in range(2):
            assert htx_rules.load(RUBRIC_2021).id == "thi_dua_kttt_htx_2021"

    def test_failed_write_is_silent(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A write that fails (disk full, the folder removed) leaves the load alone."""

        def fail(*args: object, **kwargs: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(rubric_cache.os, "replace", fail)
        assert htx_rules.load(RUBRIC_2021).id == "thi_dua_kttt_htx_2021"
        assert entries(folder) == []
        assert list(folder.glob("*.tmp")) == []

    def test_empty_variable_disables(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """HTX_RULES_CACHE_DIR set empty: nothing is written anywhere."""
        monkeypatch.setenv(CACHE_VARIABLE, "")
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        monkeypatch.setenv("HOME", str(tmp_path))
        htx_rules.load(RUBRIC_2021)
        htx_rules.load(RUBRIC_2021)
        assert list(tmp_path.rglob("*")) == []

    def test_folder_others_can_write_is_not_used(self, folder: Path) -> None:
        """A folder anyone may write to could hold a planted pickle: no cache there."""
        folder.mkdir()
        folder.chmod(0o777)
        htx_rules.load(RUBRIC_2021)
        assert entries(folder) == []

    def test_folder_of_another_user_is_not_used(self, folder: Path) -> None:
        """A folder owned by another user is not used (needs the right to give it away)."""
        folder.mkdir(mode=0o700)
        try:
            os.chown(folder, os.getuid() + 1, -1)
        except (PermissionError, AttributeError):
            pytest.skip("cannot give a folder to another user here")
        htx_rules.load(RUBRIC_2021)
        assert entries(folder) == []

    def test_old_entries_are_pruned(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """Beyond MAX_ENTRIES, the least recently used entries go; one just read stays."""
        keys = [rubric_cache.entry_key("test", str(n)) for n in range(5)]
        for number, key in enumerate(keys):
            rubric_cache.write_entry(key, number)
            path = folder / f"rubric-{key}.pickle"
            os.utime(path, (1000 + number, 1000 + number))
        assert rubric_cache.read_entry(keys[1]) == 1  # used again: now the most recent
        monkeypatch.setattr(rubric_cache, "MAX_ENTRIES", 3)
        rubric_cache.write_entry(rubric_cache.entry_key("test", "new"), "new")
        kept = {rubric_cache.read_entry(k) for k in keys} - {None}
        assert kept == {1, 4}
        assert len(entries(folder)) == 3


class TestConcurrentProcesses:
    """Processes that load the same rubric at once (``--jobs``) share one entry safely."""

    def test_processes_at_once(self, folder: Path) -> None:
        """Two fresh processes compile and write the same entry together; all
        succeed, one whole entry is left, and no temporary file."""
        code = textwrap.dedent(
            f"""
            import htx_rules, sys
            for _ in range(2):
                rubric = htx_rules.load({str(RUBRIC_2021)!r})
            print(rubric.sha256)
            """
        )
        env = {**os.environ, CACHE_VARIABLE: str(folder)}
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120)[0].strip() for p in processes]
        assert [p.returncode for p in processes] == [0, 0]
        assert len(set(outputs)) == 1
        (entry,) = entries(folder)
        assert list(folder.glob(".*.tmp")) == []
        digest = rubric_module.sha256_hex(RUBRIC_2021.read_bytes())
        assert isinstance(
            rubric_cache._decode(entry.read_bytes(), entry.name[7:-7]), htx_rules.Rubric
        )
        assert outputs[0] == digest

    def test_readers_never_see_half_an_entry(self, folder: Path) -> None:
        """A process rewriting an entry again and again while this one reads it:
        every read is the whole value."""
        key = rubric_cache.entry_key("test", "race")
        value = list(range(100_000))
        rubric_cache.write_entry(key, value)
        writer = textwrap.dedent(
            f"""
            from htx_rules import rubric_cache
            for _ in range(30):
                rubric_cache.write_entry({key!r}, list(range(100_000)))
            """
        )
        env = {**os.environ, CACHE_VARIABLE: str(folder)}
        process = subprocess.Popen([sys.executable, "-c", writer], env=env)
        reads = 0
        while process.poll() is None:
            assert rubric_cache.read_entry(key) == value
            reads += 1
        assert process.returncode == 0
        assert reads > 0


class TestGeneratedCode:
    """What the cache keeps of the generated code, and that it stays safe."""

    def test_no_rubric_text_after_a_round_trip(
        self, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The hostile rubric of test_codegen_safety, loaded from the cache: the
        code that runs holds only generated strings, and scores as compiled."""
        path = tmp_path / "nasty.rules"
        path.write_text(safety_rubric(NASTY, SHADOWING_NAMES), encoding="utf-8")
        compiled = htx_rules.load(path)
        monkeypatch.setattr(rubric_module, "compile_model", None)
        cached = htx_rules.load(path)
        cached.validate(NASTY_EVIDENCE)  # the evidence checker is generated when first used
        functions = generated_functions(cached)
        assert len(functions) >= 3  # untraced, traced, the evidence checker
        for function in functions:
            for text in code_strings(function.__code__):
                assert text in GENERATED_STRINGS, text
                assert not any(label in text for label in NASTY if label)
        assert cached._program.source_code == compiled._program.source_code
        assert cached.score(NASTY_EVIDENCE, contestant="930").to_json("en") == compiled.score(
            NASTY_EVIDENCE, contestant="930"
        ).to_json("en")

    def test_every_generated_function_keeps_its_record(self) -> None:
        """The contract codegen keeps for the cache: generated functions carry
        their record, and a rubric's program and schema pickle without them."""
        rubric = htx_rules.load(RUBRIC_2021, cache=False)
        rubric.validate({})  # the evidence checker is generated when first used
        for owner in (rubric._program, rubric._schema):
            functions = [v for v in vars(owner).values() if isinstance(v, types.FunctionType)]
            assert functions
            for function in functions:
                assert isinstance(function._htx_generated, GeneratedFunction)  # type: ignore[attr-defined]
        again = pickle.loads(pickle.dumps(rubric))
        assert again.model == rubric.model

    def test_generated_functions_inside_containers(self) -> None:
        """A generated function held in a tuple, list or dict pickles as its record too."""
        rubric = htx_rules.load(RUBRIC_2021, cache=False)
        accept = rubric._schema._accept
        state = {"one": accept, "many": (accept, [accept], {"k": accept}), "n": 3}
        frozen = pickle.loads(pickle.dumps(picklable_state(state)))
        restored = restored_state(frozen)
        evidence = {"htx_moi": 3, "chi_tieu_htx": 4}
        expected = accept(evidence)
        assert restored["n"] == 3
        assert restored["one"](evidence) == expected
        functions = restored["many"]
        assert functions[0](evidence) == functions[1][0](evidence) == expected
        assert functions[2]["k"](evidence) == expected
        assert functions[0] is not accept

    @pytest.mark.parametrize(
        "path",
        sorted(p for d in ("rubrics", "examples") for p in (ROOT / d).rglob("*.rules")),
        ids=lambda p: p.name,
    )
    def test_every_shipped_rubric_round_trips(self, path: Path) -> None:
        """Every rubric of the repository that compiles pickles and scores the same."""
        try:
            rubric = htx_rules.load(path, cache=False)
        except htx_rules.RubricError:
            pytest.skip("a rubric with errors, on purpose")
        again = pickle.loads(pickle.dumps(rubric, protocol=pickle.HIGHEST_PROTOCOL))
        assert again.model == rubric.model
        assert again._program.source_code == rubric._program.source_code
        assert again._program.plan == rubric._program.plan or _same_plan(again, rubric)


def generated_functions(rubric: htx_rules.Rubric) -> list[types.FunctionType]:
    """Every generated function a rubric holds (its program's and its schema's)."""
    return [
        value
        for owner in (rubric._program, rubric._schema)
        for value in vars(owner).values()
        if isinstance(value, types.FunctionType) and hasattr(value, "_htx_generated")
    ]


def code_strings(code: types.CodeType) -> Iterator[str]:
    """Every string constant of a code object and the code objects it holds."""
    for constant in code.co_consts:
        if isinstance(constant, str):
            yield constant
        elif isinstance(constant, types.CodeType):
            yield from code_strings(constant)


def _same_plan(one: htx_rules.Rubric, other: htx_rules.Rubric) -> bool:
    """Plans compare their explain functions by identity: compare the rest."""
    first, second = one._program.plan, other._program.plan
    strip = [step._replace(explain=None) for step in first.steps]
    return strip == [step._replace(explain=None) for step in second.steps] and (
        first._replace(steps=()) == second._replace(steps=())
    )
