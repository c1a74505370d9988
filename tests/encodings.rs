//! Source encodings as Python reads them (PEP 263): a UTF-8 byte-order mark, or a coding
//! declaration on the first or second line. Such files are checked, `--fix` writes them back in
//! their own encoding byte for byte outside the fix, and a file Python would reject is an error
//! naming it while the other files are still checked.

mod common;

use common::Project;

/// PAR603 at row 4 (after the declaration), with a safe fix; a Latin-1 `é` (0xE9) in a string
/// before the finding on the same line, so columns must count decoded characters.
fn latin1_source(declaration: &str) -> Vec<u8> {
    let mut bytes = declaration.as_bytes().to_vec();
    bytes.extend_from_slice(
        b"import asyncio\nasync def f():\n    x = '\xe9'; return asyncio.get_event_loop()\n",
    );
    bytes
}

#[test]
fn a_latin1_file_with_a_coding_cookie_is_checked() {
    let project = Project::new();
    project.write("latin.py", latin1_source("# -*- coding: latin-1 -*-\n"));
    project.write("clean.py", "x = 1\n");
    let run = project.check(&[]);
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("latin.py:4:21: PAR603 [*]"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn fix_writes_a_latin1_file_back_in_latin1() {
    let project = Project::new();
    project.write("latin.py", latin1_source("# -*- coding: latin-1 -*-\n"));
    let run = project.check(&["--fix"]);
    run.assert_code(0);
    let mut expected = b"# -*- coding: latin-1 -*-\nimport asyncio\nasync def f():\n    x = '\xe9'; return asyncio.get_running_loop()\n".to_vec();
    assert_eq!(project.read_bytes("latin.py"), expected);
    // The diff shows the decoded text.
    project.write("latin.py", latin1_source("# -*- coding: latin-1 -*-\n"));
    let run = project.run(&["check", "--diff", "latin.py"]);
    run.assert_code(1);
    assert!(
        run.stdout
            .contains("+    x = 'é'; return asyncio.get_running_loop()"),
        "{}",
        run.stdout
    );
    // Standard input is answered in the declared encoding too.
    expected.clear();
    let input = latin1_source("# vim: set fileencoding=iso-8859-1 :\n");
    let mut command = project.command();
    command.args(["check", "--fix", "-", "--stdin-filename", "s.py"]);
    command.write_stdin(input);
    let output = command.output().unwrap();
    assert_eq!(
        output.stdout,
        b"# vim: set fileencoding=iso-8859-1 :\nimport asyncio\nasync def f():\n    x = '\xe9'; return asyncio.get_running_loop()\n"
    );
}

#[test]
fn the_declaration_may_be_on_the_second_line_after_a_comment_line() {
    let project = Project::new();
    project.write(
        "second.py",
        latin1_source("#!/usr/bin/env python\n# coding=latin-1\n"),
    );
    let run = project.check(&[]);
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("second.py:5:21: PAR603"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_declaration_after_a_code_line_does_not_count() {
    // Python reads line 2 only when line 1 is blank or a comment: this file is not UTF-8, and
    // Python rejects it, so pyparallel does too, naming the file; the other file is checked.
    let project = Project::new();
    project.write("late.py", latin1_source("x = 1\n# coding: latin-1\n"));
    project.write(
        "a.py",
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n",
    );
    let run = project.check(&[]);
    run.assert_code(2);
    assert!(
        run.stdout.starts_with("a.py:3:12: PAR603"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr,
        "error: late.py: not valid UTF-8 (invalid byte 0xE9 at line 5, column 10) and no PEP 263 coding declaration on its first two lines; Python would reject it\n"
    );
}

#[test]
fn other_declared_encodings_round_trip() {
    let project = Project::new();
    // cp1252's 0x80 is the euro sign; Shift_JIS 0x82 0xA0 is あ.
    let cases: [(&str, &[u8], &str); 3] = [
        ("cp1252.py", b"# coding: cp1252\n", "\u{20ac}"),
        ("sjis.py", b"# -*- coding: shift_jis -*-\n", "\u{3042}"),
        ("koi8.py", b"# coding: koi8-r\n", "\u{416}"),
    ];
    let encoded: [&[u8]; 3] = [b"\x80", b"\x82\xa0", b"\xf6"];
    for ((name, declaration, _), bytes) in cases.iter().zip(encoded) {
        let mut source = declaration.to_vec();
        source.extend_from_slice(b"import asyncio\nasync def f():\n    x = '");
        source.extend_from_slice(bytes);
        source.extend_from_slice(b"'; return asyncio.get_event_loop()\n");
        project.write(name, &source);
    }
    let run = project.check(&[]);
    run.assert_code(1);
    for (name, _, _) in &cases {
        assert!(
            run.stdout.contains(&format!("{name}:4:21: PAR603")),
            "{name}: {}",
            run.stdout
        );
    }
    let run = project.check(&["--fix"]);
    run.assert_code(0);
    for ((name, declaration, _), bytes) in cases.iter().zip(encoded) {
        let mut expected = declaration.to_vec();
        expected.extend_from_slice(b"import asyncio\nasync def f():\n    x = '");
        expected.extend_from_slice(bytes);
        expected.extend_from_slice(b"'; return asyncio.get_running_loop()\n");
        assert_eq!(project.read_bytes(name), expected, "{name}");
    }
}

#[test]
fn a_bom_with_a_utf8_declaration_is_fine_and_kept() {
    let project = Project::new();
    project.write(
        "bom.py",
        "\u{feff}# coding: utf-8\nimport asyncio\nasync def f():\n    return asyncio.get_event_loop()\n",
    );
    let run = project.check(&["--fix"]);
    run.assert_code(0);
    assert_eq!(
        project.read("bom.py"),
        "\u{feff}# coding: utf-8\nimport asyncio\nasync def f():\n    return asyncio.get_running_loop()\n"
    );
}

#[test]
fn files_python_rejects_are_errors_naming_them() {
    let project = Project::new();
    // A BOM contradicting the declaration, an unknown codec, bytes the codec cannot decode.
    project.write("bom_latin.py", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n");
    project.write("unknown.py", b"# coding: klingon\nx = 1\n");
    project.write("bad_ascii.py", b"# coding: ascii\nx = '\xe9'\n");
    project.write("utf16.py", b"# coding: utf-16\nx = 1\n");
    project.write("a.py", "x = 1\n");
    let run = project.check(&[]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: bad_ascii.py: not valid ascii, the encoding declared on line 1 (invalid byte 0xE9 at line 2, column 6); Python would reject it\n\
         error: bom_latin.py: a UTF-8 byte-order mark and the coding declaration `latin-1` on line 1 disagree; Python would reject it\n\
         error: unknown.py: unknown encoding `klingon` declared on line 1; Python would reject it\n\
         error: utf16.py: the encoding `utf-16` declared on line 1 cannot encode Python source (it is not ASCII-compatible); Python would reject it\n"
    );
}

#[test]
fn latin1_bytes_that_windows_1252_would_change_survive_the_round_trip() {
    // Python's latin-1 maps every byte to the code point of the same number (0x80 to U+0080),
    // where the web's "latin1" means windows-1252 (0x80 to the euro sign): the file must come
    // back byte for byte outside the fix.
    let project = Project::new();
    let mut source = b"# coding: latin-1\n# \xff\xfe \xa4 \x80\x9f\n".to_vec();
    source.extend_from_slice(
        b"import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n",
    );
    project.write("raw.py", &source);
    let run = project.check(&["--fix"]);
    run.assert_code(0);
    let mut expected = b"# coding: latin-1\n# \xff\xfe \xa4 \x80\x9f\n".to_vec();
    expected.extend_from_slice(
        b"import asyncio\nasync def f():\n    return asyncio.get_running_loop()\n",
    );
    assert_eq!(project.read_bytes("raw.py"), expected);
}
