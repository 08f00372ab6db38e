import Foundation

/// Where tests find the repository, its fixtures and the read-only shared data (`../shared`).
public enum TestPaths {
    /// The repository root (the folder holding `Package.swift`).
    public static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The shared data folder: `$EMOTELAB_SHARED`, or `shared/` beside the repository.
    public static let shared: URL = {
        if let env = ProcessInfo.processInfo.environment["EMOTELAB_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// A file in `shared/media`.
    public static func media(_ name: String) -> URL { shared.appendingPathComponent("media/\(name)") }

    /// The small FER2013 subset (140 train + 70 val images).
    public static var ferMini: URL { shared.appendingPathComponent("data/fer2013-mini") }

    /// The full FER2013 copy (train + val).
    public static var fer: URL { shared.appendingPathComponent("data/fer2013") }

    /// A file under the repository's `Fixtures/` folder.
    public static func fixture(_ relative: String) -> URL {
        repoRoot.appendingPathComponent("Fixtures/\(relative)")
    }

    /// A fresh, empty temporary directory.
    public static func temporaryDirectory(_ label: String = "emotelab-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
