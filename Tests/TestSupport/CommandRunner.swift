import Foundation

/// The result of running the `emotelab` executable in a test.
public struct CommandResult {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// Runs the built `emotelab` executable end to end, as a user would.
public enum CommandRunner {
    /// The `emotelab` binary in the same build products folder as the running tests.
    public static let executable: URL = {
        // Test bundles live in the products folder (`.build/<config>/EmoteLabPackageTests.xctest`).
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("emotelab")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        for bundle in Bundle.allBundles {
            let candidate = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("emotelab")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("emotelab executable not found next to the test bundle")
    }()

    /// Runs `emotelab ARGS` in `directory` with extra environment variables and optional standard input.
    @discardableResult
    public static func run(_ arguments: [String], in directory: URL? = nil,
                           environment: [String: String] = [:], stdin: Data? = nil) throws -> CommandResult {
        try run(program: executable, arguments, in: directory, environment: environment, stdin: stdin)
    }

    /// Runs `/bin/sh -c script` in `directory` with `$EMOTELAB` naming the `emotelab` binary: for
    /// arguments that are not UTF-8 (file names with other bytes), which `Process` cannot pass, the script
    /// makes them with `printf '\351'`.
    @discardableResult
    public static func runShell(_ script: String, in directory: URL? = nil) throws -> CommandResult {
        try run(program: URL(fileURLWithPath: "/bin/sh"), ["-c", script], in: directory,
                environment: ["EMOTELAB": executable.path], stdin: nil)
    }

    /// Runs any program (a script, an installed copy of `emotelab`) the same way. With `inherit` false the
    /// child gets only `environment`, not the test's own.
    @discardableResult
    public static func runProgram(_ program: URL, _ arguments: [String], in directory: URL? = nil,
                                  environment: [String: String] = [:], inherit: Bool = true) throws -> CommandResult {
        try run(program: program, arguments, in: directory, environment: environment, stdin: nil, inherit: inherit)
    }

    private static func run(program: URL, _ arguments: [String], in directory: URL?,
                            environment: [String: String], stdin: Data?, inherit: Bool = true) throws -> CommandResult {
        let process = Process()
        process.executableURL = program
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = inherit ? ProcessInfo.processInfo.environment : [:]
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        if let stdin { inPipe.fileHandleForWriting.write(stdin) }
        try? inPipe.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// Holds the bytes read from a pipe on another thread; the dispatch group orders the accesses.
private final class DataBox: @unchecked Sendable {
    var data = Data()
}
