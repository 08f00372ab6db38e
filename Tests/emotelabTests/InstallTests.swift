import EmotionModel
import Foundation
import TestSupport
import Training
import XCTest

/// `scripts/install.sh` and `scripts/package-deb.sh` as a user runs them: a release build with the Swift
/// runtime linked in (scratch folder `.build-static` beside the normal build, kept, so a rerun only relinks
/// what changed), installed into a temporary prefix and run from another folder with a bare environment.
final class InstallTests: XCTestCase {
    static let scratch = TestPaths.repoRoot.appendingPathComponent(".build-static")
    /// A bare environment: no toolchain on PATH, no library path, no EMOTELAB_MODELS.
    static let bareEnvironment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "LANG": "C.UTF-8"]

    /// One installation shared by the tests of this class (the build is the expensive part).
    nonisolated(unsafe) static var installed: Result<URL, Error>?

    static func installedPrefix() throws -> URL {
        if let installed { return try installed.get() }
        let result = Result { () throws -> URL in
            let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("emotelab-install-\(UUID().uuidString)/prefix")
            let run = try CommandRunner.runProgram(TestPaths.repoRoot.appendingPathComponent("scripts/install.sh"), [prefix.path],
                                                   environment: ["SWIFT_SCRATCH_PATH": scratch.path])
            guard run.status == 0 else {
                throw NSError(domain: "InstallTests", code: Int(run.status),
                              userInfo: [NSLocalizedDescriptionKey: "scripts/install.sh failed (\(run.status)):\n\(run.stdout.suffix(2000))\n\(run.stderr.suffix(4000))"])
            }
            return prefix
        }
        installed = result
        return try result.get()
    }

    override class func tearDown() {
        if case .success(let prefix)? = installed {
            try? FileManager.default.removeItem(at: prefix.deletingLastPathComponent())
        }
        super.tearDown()
    }

    private func elsewhere() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("emotelab-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// The installed binary loads nothing from the toolchain: `ldd` resolves every library outside /opt/swift
    /// (and outside whatever folder holds the `swift` driver), and no Swift runtime library is loaded at all.
    func testInstalledBinaryNeedsNoSwiftToolchain() throws {
        let binary = try Self.installedPrefix().appendingPathComponent("bin/emotelab")
        let ldd = try CommandRunner.runProgram(URL(fileURLWithPath: "/usr/bin/ldd"), [binary.path])
        XCTAssertEqual(ldd.status, 0, ldd.stderr)
        let lines = ldd.stdout.split(separator: "\n").map(String.init)
        XCTAssertFalse(lines.isEmpty)
        let swiftDriver = (try? CommandRunner.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "readlink -f \"$(command -v swift)\""]))?
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let toolchain = swiftDriver.isEmpty ? "/opt/swift" : URL(fileURLWithPath: swiftDriver).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        for line in lines {
            XCTAssertFalse(line.contains("/opt/swift") || line.contains(toolchain + "/"), "resolves into the toolchain: \(line)")
            XCTAssertFalse(line.contains("not found"), line)
            XCTAssertFalse(line.contains("libswift") || line.contains("libFoundation"), "Swift runtime loaded dynamically: \(line)")
        }
        // The libraries it does load are the Debian ones the .deb depends on.
        XCTAssertTrue(lines.contains { $0.contains("libavformat.so") }, ldd.stdout)
        XCTAssertTrue(lines.contains { $0.contains("libopenblas.so") }, ldd.stdout)
        XCTAssertTrue(lines.contains { $0.contains("libsqlite3.so") }, ldd.stdout)
    }

    /// Run from another folder with a bare environment, the installed binary finds its models in
    /// PREFIX/share/emotelab/models and reports exactly what the build-folder binary reports.
    func testInstalledBinaryRunsFromAnotherFolder() throws {
        let prefix = try Self.installedPrefix()
        let binary = prefix.appendingPathComponent("bin/emotelab")
        let cwd = try elsewhere()
        let modelsFolder = prefix.appendingPathComponent("share/emotelab/models").path

        let version = try CommandRunner.runProgram(binary, ["--version"], in: cwd, environment: Self.bareEnvironment, inherit: false)
        XCTAssertEqual(version.status, 0, version.stderr)
        let lines = version.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "emotelab 0.1.0")
        XCTAssertTrue(lines.contains("models (\(modelsFolder)):"), version.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  A: architecture A") }, version.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  B (default): architecture B") }, version.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("  C: architecture C") }, version.stdout)

        let models = try CommandRunner.runProgram(binary, ["models", "--format", "json"], in: cwd,
                                                  environment: Self.bareEnvironment, inherit: false)
        XCTAssertEqual(models.status, 0, models.stderr)
        let rows = try JSONDecoder().decode([ModelSummary].self, from: Data(models.stdout.utf8))
        XCTAssertEqual(rows.map(\.name), ["A", "B", "C"])
        for row in rows { XCTAssertEqual(row.path, "\(modelsFolder)/\(row.name).safetensors") }

        // EMOTELAB_MODELS still overrides: an empty folder has no shipped models.
        let empty = try elsewhere()
        let overridden = try CommandRunner.runProgram(binary, ["--version"], in: cwd,
                                                      environment: Self.bareEnvironment.merging(["EMOTELAB_MODELS": empty.path]) { $1 },
                                                      inherit: false)
        XCTAssertTrue(overridden.stdout.contains("models: none found in \(empty.path)"), overridden.stdout)

        // The whole job: analyse the bundled sample with its tasks and report; the CSV equals the one the
        // build-folder binary writes for the same input.
        let media = TestPaths.repoRoot.appendingPathComponent("Fixtures/media")
        var csv: [String] = []
        for (program, name) in [(binary, "installed"), (CommandRunner.executable, "built")] {
            let db = cwd.appendingPathComponent("\(name).sqlite").path
            let analyze = try CommandRunner.runProgram(program, ["analyze", media.appendingPathComponent("face_noface.mov").path,
                                                                 "--tasks", media.appendingPathComponent("face_noface.tasks.csv").path, "--db", db],
                                                       in: cwd, environment: Self.bareEnvironment, inherit: false)
            XCTAssertEqual(analyze.status, 0, "\(name): \(analyze.stderr)")
            let report = try CommandRunner.runProgram(program, ["report", "--session", "latest", "--db", db], in: cwd,
                                                      environment: Self.bareEnvironment, inherit: false)
            XCTAssertEqual(report.status, 0, "\(name): \(report.stderr)")
            csv.append(report.stdout)
        }
        XCTAssertEqual(csv[0].split(whereSeparator: \.isNewline).count, 4, csv[0])  // header, two tasks, whole session (CRLF lines)
        XCTAssertTrue(csv[0].contains("Greet the camera"))
        XCTAssertEqual(csv[0], csv[1])

        // The analysis used BlazeFace (the default) with the installed weights; a binary copied away from its
        // share folder cannot find them and says so in one line, exit status 1.
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(modelsFolder)/blazeface-short-range.safetensors"))
        let lonely = try elsewhere().appendingPathComponent("emotelab")
        try FileManager.default.copyItem(at: binary, to: lonely)
        let missing = try CommandRunner.runProgram(lonely, ["analyze", media.appendingPathComponent("face_noface.mov").path,
                                                            "--model", "\(modelsFolder)/B.safetensors",
                                                            "--db", cwd.appendingPathComponent("lonely.sqlite").path],
                                                   in: cwd, environment: Self.bareEnvironment, inherit: false)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("BlazeFace weights blazeface-short-range.safetensors not found"), missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--detector haar"), missing.stderr)
    }

    /// `--version` names the FFmpeg and OpenBLAS libraries in use: the versions match the installed Debian
    /// packages' (pkg-config reads the same installation the binary loads).
    func testVersionNamesLibraries() throws {
        let binary = try Self.installedPrefix().appendingPathComponent("bin/emotelab")
        let version = try CommandRunner.runProgram(binary, ["--version"], in: try elsewhere(), environment: Self.bareEnvironment, inherit: false)
        XCTAssertEqual(version.status, 0, version.stderr)
        let pkgConfig = { (name: String) throws -> String in
            try CommandRunner.runProgram(URL(fileURLWithPath: "/usr/bin/pkg-config"), ["--modversion", name]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let ffmpegLine = try XCTUnwrap(version.stdout.split(separator: "\n").first { $0.hasPrefix("FFmpeg ") })
        XCTAssertTrue(ffmpegLine.contains("libavformat \(try pkgConfig("libavformat"))"), String(ffmpegLine))
        XCTAssertTrue(ffmpegLine.contains("libavcodec \(try pkgConfig("libavcodec"))"), String(ffmpegLine))
        let blasLine = try XCTUnwrap(version.stdout.split(separator: "\n").last)
        XCTAssertTrue(blasLine.hasPrefix("OpenBLAS \(try pkgConfig("openblas"))"), String(blasLine))
    }

    /// Completions for bash, zsh and fish are installed, generated from the command definitions.
    func testCompletionsInstalled() throws {
        let share = try Self.installedPrefix().appendingPathComponent("share")
        let bash = try String(contentsOf: share.appendingPathComponent("bash-completion/completions/emotelab"), encoding: .utf8)
        let zsh = try String(contentsOf: share.appendingPathComponent("zsh/site-functions/_emotelab"), encoding: .utf8)
        let fish = try String(contentsOf: share.appendingPathComponent("fish/vendor_completions.d/emotelab.fish"), encoding: .utf8)
        XCTAssertTrue(bash.contains("complete") && bash.contains("analyze") && bash.contains("--tasks"), String(bash.prefix(300)))
        XCTAssertTrue(zsh.hasPrefix("#compdef emotelab"), String(zsh.prefix(100)))
        XCTAssertTrue(zsh.contains("analyze"))
        XCTAssertTrue(fish.contains("complete -c 'emotelab'") && fish.contains("analyze"), String(fish.prefix(300)))
        for licence in ["swift-runtime.txt", "swift-argument-parser.txt", "GRDB.txt"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: share.appendingPathComponent("doc/emotelab/licenses/\(licence)").path), licence)
        }
    }
}

/// `scripts/package-deb.sh`: the .deb holds the installation for PREFIX=/usr and depends on the Debian
/// packages that own the libraries the binary loads.
final class DebianPackageTests: XCTestCase {
    func testPackageDeb() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("emotelab-deb-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: out) }
        let run = try CommandRunner.runProgram(TestPaths.repoRoot.appendingPathComponent("scripts/package-deb.sh"), [out.path],
                                               environment: ["SWIFT_SCRATCH_PATH": InstallTests.scratch.path, "EMOTELAB_SKIP_SETUP": "1"])
        XCTAssertEqual(run.status, 0, run.stderr.suffix(3000) + "")
        let debs = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasSuffix(".deb") }
        XCTAssertEqual(debs.count, 1, "\(debs)")
        let deb = out.appendingPathComponent(try XCTUnwrap(debs.first))
        XCTAssertTrue(deb.lastPathComponent.hasPrefix("emotelab_0.1.0_"), deb.lastPathComponent)
        let dpkgDeb = URL(fileURLWithPath: "/usr/bin/dpkg-deb")

        // Depends: the owners of the libraries, each installed here, and opencv-data for the cascades.
        let depends = try CommandRunner.runProgram(dpkgDeb, ["-f", deb.path, "Depends"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: ", ")
        let owner = { (file: String) throws -> String in
            let real = URL(fileURLWithPath: file).resolvingSymlinksInPath().path
            return String(try CommandRunner.runProgram(URL(fileURLWithPath: "/usr/bin/dpkg"), ["-S", real]).stdout
                .prefix { $0 != ":" })
        }
        let unpacked = out.appendingPathComponent("unpacked")
        XCTAssertEqual(try CommandRunner.runProgram(dpkgDeb, ["-x", deb.path, unpacked.path]).status, 0)
        let binary = unpacked.appendingPathComponent("usr/bin/emotelab")
        let ldd = try CommandRunner.runProgram(URL(fileURLWithPath: "/usr/bin/ldd"), [binary.path]).stdout
        for library in ["libavformat.so", "libavcodec.so", "libswscale.so", "libavutil.so", "libopenblas.so", "libsqlite3.so", "libcrypto.so"] {
            let line = try XCTUnwrap(ldd.split(separator: "\n").first { $0.contains("\(library).") }, "\(library) not loaded: \(ldd)")
            let path = try XCTUnwrap(line.components(separatedBy: "=> ").last?.components(separatedBy: " (").first, String(line))
            let package = try owner(path)
            XCTAssertTrue(depends.contains(package), "\(library) (\(package)) not in Depends: \(depends)")
        }
        XCTAssertTrue(depends.contains("opencv-data"), "\(depends)")
        XCTAssertFalse(depends.contains { $0.contains("swift") }, "\(depends)")

        let contents = try CommandRunner.runProgram(dpkgDeb, ["-c", deb.path]).stdout
        for path in ["./usr/bin/emotelab", "./usr/share/emotelab/models/B.safetensors", "./usr/share/emotelab/models/C.safetensors",
                     "./usr/share/emotelab/models/blazeface-short-range.safetensors",
                     "./usr/share/doc/emotelab/licenses/blazeface-short-range.txt",
                     "./usr/share/bash-completion/completions/emotelab", "./usr/share/zsh/vendor-completions/_emotelab",
                     "./usr/share/fish/vendor_completions.d/emotelab.fish", "./usr/share/doc/emotelab/copyright"] {
            XCTAssertTrue(contents.contains(" \(path)\n") || contents.contains(" \(path) "), "\(path) missing from the package")
        }

        // Unpacked anywhere, the binary finds the package's models beside it.
        let version = try CommandRunner.runProgram(binary, ["--version"], in: out,
                                                   environment: InstallTests.bareEnvironment, inherit: false)
        XCTAssertEqual(version.status, 0, version.stderr)
        XCTAssertTrue(version.stdout.contains("models (\(unpacked.path)/usr/share/emotelab/models):"), version.stdout)
    }
}
