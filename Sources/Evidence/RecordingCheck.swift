import FileNames
import Foundation
import SessionStore

/// Checks that a session's recording is still the file that was analysed, before anything is cut from it.
public enum RecordingCheck {
    /// Throws `EvidenceError.recordingMissing` when nothing is at the stored path and
    /// `recordingChanged` when the file's content hash (`ContentHash.sha256`) is not the session's.
    public static func verify(_ session: Session) throws {
        let path = session.info.filePath
        guard let status = RawFileSystem.status(path), status.st_mode & S_IFMT == S_IFREG else {
            throw EvidenceError.recordingMissing(sessionID: session.id, path: RawFileName.displayed(path))
        }
        let hash = try ContentHash.sha256(fileAt: URL(fileURLWithPath: path))
        guard hash == session.info.contentHash else {
            throw EvidenceError.recordingChanged(sessionID: session.id, path: RawFileName.displayed(path))
        }
    }
}
