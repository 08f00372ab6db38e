import NeuralNet

/// What the classifier averages over for each face, part of the one preprocessing contract: a model file
/// says which (`test_time_augmentation` metadata), and `evaluate`, training's validation and `analyze` all
/// follow it.
public enum TestTimeAugmentation: String, Codable, CaseIterable, Sendable {
    /// The crop as it is.
    case none
    /// The mean of the class probabilities of the crop and of its mirror image (twice the network work).
    case mirror

    /// Network passes per face.
    public var passes: Int { self == .mirror ? 2 : 1 }

    /// The crop mirrored left-right (`side × side` bytes, row-major).
    public static func mirrored(_ face: [UInt8], side: Int) -> [UInt8] {
        precondition(face.count == side * side)
        var out = [UInt8](repeating: 0, count: face.count)
        for y in 0..<side {
            let row = y * side
            for x in 0..<side { out[row + x] = face[row + side - 1 - x] }
        }
        return out
    }

    /// Per-face scores from logits `[passes·N, classes]` laid out as all N faces as they are, then (mirror)
    /// all N mirrored: logits unchanged for `.none`, else the mean of the two softmax distributions.
    /// Either way the row maximum is the predicted class.
    public func combine(_ logits: Tensor, faces n: Int) -> Tensor {
        guard self == .mirror else { return logits }
        let c = logits.shape[1]
        precondition(logits.shape[0] == 2 * n, "mirror averaging needs 2·N rows")
        let p = Loss.softmax(logits)
        var out = Tensor(shape: [n, c])
        for i in 0..<(n * c) { out.storage[i] = (p.storage[i] + p.storage[n * c + i]) / 2 }
        return out
    }
}
