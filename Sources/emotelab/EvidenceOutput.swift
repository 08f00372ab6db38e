import Evidence
import FileNames
import Foundation
import SessionStore

/// The output rules shared by `clips` and `annotate`: a video file is replaced only when it is an
/// earlier EmoteLab video (its comment tag says so, `EvidenceMark`) or with `--overwrite`; never the
/// database (or its journal) or a session's recording. Videos are written to a hidden file beside the
/// target and renamed over it once complete, so a failure leaves nothing half written.
enum EvidenceOutput {
    /// The protected files of `store` and `sessions`.
    static func protected(store: StoreOptions, sessions: [Session]) -> [OutputFile.Protected] {
        [OutputFile.Protected(path: store.path, role: "the session database", isDatabase: true)]
            + sessions.map { OutputFile.Protected(path: $0.info.filePath, role: "session \($0.id)'s recording") }
    }

    /// Checks that a video may be written at `path`; throws the one-line refusal.
    static func checkVideo(_ path: String, protected: [OutputFile.Protected], overwrite: Bool) throws {
        let file = OutputFile(path: path)
        let ours = RawFileSystem.exists(path) && EvidenceMark.isEvidenceVideo(atPath: path)
        let plan = try file.check(protected: protected, overwrite: overwrite || ours,
                                  earlier: "a video EmoteLab made", isReplaceable: { _ in false })
        guard case .replace = plan else {
            throw CommandFailure(description: "\(path) is not a regular file; videos are written to files")
        }
    }

    /// Writes a video through `body` (given a hidden temporary path beside `path`), then renames it to `path`.
    static func writeVideo<T>(to path: String, _ body: (String) throws -> T) throws -> T {
        let target = OutputFile.canonicalPath(path)
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).partial")
        do {
            let result = try body(temporary)
            guard rename(temporary, target) == 0 else {
                throw CommandFailure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            return result
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// A bar for standard error: `[#######.............]  35%  0:42 of 2:00  1.8x real time`.
    static func progressLine(done: Double, total: Double?, elapsed: Double) -> String {
        let speed = elapsed > 0 ? String(format: "%.1fx real time", done / elapsed) : ""
        guard let total, total > 0 else { return "\(TimeValue.clock(done))  \(speed)" }
        let share = min(1, max(0, done / total))
        let filled = Int((share * 20).rounded())
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled) + "] "
            + String(format: "%3d%%", Int((share * 100).rounded())) + "  \(TimeValue.clock(done)) of \(TimeValue.clock(total))  \(speed)"
    }
}
