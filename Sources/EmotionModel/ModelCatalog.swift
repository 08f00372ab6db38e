import Foundation

/// Resolves `--model` values: a shipped model name or a file path.
///
/// Names (case-insensitive): `A`, `B`, `C` and `default` (= `defaultName`). Shipped files are
/// `<folder>/<name>.safetensors` where the folder is `$EMOTELAB_MODELS` when set, else found from the
/// executable's own path: the resource bundle SwiftPM places beside it (a binary run from the build
/// folder), or `../share/emotelab/models` (an installed binary, `PREFIX/bin/emotelab`, as
/// `scripts/install.sh` and the `.deb` lay it out). A copied binary never reads models from the source
/// checkout it was built from. Any other value is a file path.
public enum ModelCatalog {
    /// The names of shipped models, in size order.
    public static let shippedNames = ["A", "B", "C"]
    /// The shipped model `default` stands for.
    public static let defaultName = "B"

    /// The folder shipped models are read from.
    public static var modelsDirectory: URL {
        if let env = ProcessInfo.processInfo.environment["EMOTELAB_MODELS"], !env.isEmpty {
            return URL(fileURLWithPath: env, isDirectory: true)
        }
        let candidates = modelsDirectoryCandidates
        var isDirectory: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && isDirectory.boolValue }
            ?? candidates[0]
    }

    /// Where shipped models are looked for when `$EMOTELAB_MODELS` is not set, first match wins. Not
    /// `Bundle.module`: its generated accessor stops the process when the bundle is missing (an installed
    /// binary), and it falls back to the build folder's absolute path.
    public static var modelsDirectoryCandidates: [URL] {
        var folders: [URL] = []
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = executable.deletingLastPathComponent()
            folders.append(bin.appendingPathComponent("EmoteLab_EmotionModel.resources/Models", isDirectory: true))
            folders.append(bin.deletingLastPathComponent().appendingPathComponent("share/emotelab/models", isDirectory: true))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent("EmoteLab_EmotionModel.resources/Models", isDirectory: true))
        return folders
    }

    /// The catalog name a value refers to (`A`, `B`, `C`), or nil when it is a file path.
    public static func shippedName(for value: String) -> String? {
        if value.lowercased() == "default" { return defaultName }
        return shippedNames.first { $0.lowercased() == value.lowercased() }
    }

    /// The file for `value`: the shipped file for a name, else the path itself. Throws when the file does not
    /// exist, naming what was looked for.
    public static func resolve(_ value: String) throws -> URL {
        if let name = shippedName(for: value) {
            let url = modelsDirectory.appendingPathComponent("\(name).safetensors")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw EmotionModelError("no shipped model \(name) (\(url.path) does not exist; set EMOTELAB_MODELS to the folder of the shipped models, install with scripts/install.sh, or pass a model file path)")
            }
            return url
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: value, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw EmotionModelError("\(value): no such model file (and not a shipped model name: A, B, C, default)")
        }
        return URL(fileURLWithPath: value)
    }

    /// The shipped models present: catalog name and file.
    public static func shippedModels() -> [(name: String, url: URL)] {
        shippedNames.compactMap { name in
            let url = modelsDirectory.appendingPathComponent("\(name).safetensors")
            return FileManager.default.fileExists(atPath: url.path) ? (name, url) : nil
        }
    }
}
