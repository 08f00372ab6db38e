import Foundation
import NeuralNet

/// A one-line reason the BlazeFace weights cannot be used (missing, unreadable or not the expected tensors).
public struct BlazeFaceWeightsError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Finds and loads the BlazeFace weights (`blazeface-short-range.safetensors`) the way `ModelCatalog` finds the
/// emotion models: in `$EMOTELAB_MODELS` when the file is there, else from the executable's own path: the
/// resource bundle SwiftPM places beside it (a binary run from the build folder) or `../share/emotelab/models`
/// (an installed binary, as `scripts/install.sh` and the `.deb` lay it out). A copied binary never reads the
/// weights from the source checkout it was built from.
public enum BlazeFaceWeights {
    /// Where the weights file is looked for, first match wins.
    public static var candidates: [URL] {
        let name = BlazeFaceDetector.weightsFileName
        var folders: [URL] = []
        if let env = ProcessInfo.processInfo.environment["EMOTELAB_MODELS"], !env.isEmpty {
            folders.append(URL(fileURLWithPath: env, isDirectory: true))
        }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let bin = executable.deletingLastPathComponent()
            folders.append(bin.appendingPathComponent("EmoteLab_FaceDetection.resources/Models", isDirectory: true))
            folders.append(bin.deletingLastPathComponent().appendingPathComponent("share/emotelab/models", isDirectory: true))
        }
        folders.append(Bundle.main.bundleURL.appendingPathComponent("EmoteLab_FaceDetection.resources/Models", isDirectory: true))
        return folders.map { $0.appendingPathComponent(name) }
    }

    /// The weights file, or a `BlazeFaceWeightsError` naming where it was looked for.
    public static func locate() throws -> URL {
        let all = candidates
        if let found = all.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw BlazeFaceWeightsError("BlazeFace weights \(BlazeFaceDetector.weightsFileName) not found (looked in "
                                    + all.map { $0.deletingLastPathComponent().path }.joined(separator: ", ")
                                    + "; install with scripts/install.sh, set EMOTELAB_MODELS to their folder, or use "
                                    + "--detector haar)")
    }

    /// Loads the network from `url`; a missing, unreadable or malformed file, or one without exactly the
    /// network's tensors, throws one line naming the file.
    public static func load(_ url: URL) throws -> BlazeFaceNetwork {
        do {
            return try BlazeFaceNetwork(contentsOf: url)
        } catch {
            var reason = "\(error)"
            if reason.hasPrefix(url.path + ": ") { reason.removeFirst(url.path.count + 2) }  // named once
            throw BlazeFaceWeightsError("BlazeFace weights \(url.path): \(reason)")
        }
    }

    /// `locate` then `load`.
    public static func loadInstalled() throws -> (url: URL, network: BlazeFaceNetwork) {
        let url = try locate()
        return (url, try load(url))
    }

}
