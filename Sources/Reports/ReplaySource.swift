import FileNames
import Foundation

/// Where a report page finds the session's recording: a relative URL from the page's folder, so the
/// page and the recording can move together (a copied study folder still plays), never an embedded copy.
public enum ReplaySource {
    /// The recording's path relative to `folder` (both absolute, or relative to the same working
    /// folder), as a URL path for a `src` attribute: `..` for each folder of `folder` not shared with
    /// `recording`, then the rest of the recording's path, every byte outside `A–Z a–z 0–9 - . _ ~`
    /// percent-encoded (a space is `%20`, `#` `%23`, `?` `%3F`, `é` `%C3%A9`; a file name that is not UTF-8
    /// keeps its raw bytes, `RawFileName.encode`).
    public static func relativeURL(fromFolder folder: String, to recording: String) -> String {
        let base = components(folder), target = components(recording)
        var shared = 0
        while shared < base.count, shared < target.count - 1, base[shared] == target[shared] { shared += 1 }
        let steps = Array(repeating: "..", count: base.count - shared) + target[shared...].map(percentEncoded)
        return steps.joined(separator: "/")
    }

    /// The page's folder for a page written to `page` (relative paths are taken from the working folder).
    public static func folder(ofPage page: String) -> String {
        (absolute(page) as NSString).deletingLastPathComponent
    }

    /// `path` made absolute against the working folder, with `.` and `..` folded away.
    public static func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true).map(String.init) {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func components(_ path: String) -> [String] {
        absolute(path).split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    }

    /// One path component with every byte outside the URL's unreserved characters percent-encoded.
    static func percentEncoded(_ component: String) -> String {
        var out = ""
        for byte in RawFileName.encode(component) {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
