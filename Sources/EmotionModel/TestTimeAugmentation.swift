import NeuralNet

/// What the classifier averages over for each face, part of the one preprocessing contract: a model file
/// says which (`test_time_augmentation` metadata), and `evaluate`, training's validation and `analyze` all
/// follow it.
public enum TestTimeAugmentation: String, Codable, CaseIterable, Sendable {
    /// The crop as it is.
    case none
    /// The mean of the class probabilities of the crop and of its mirror image (twice the network work).
    case mirror
    /// The mean over 14 views: the crop, the crop shifted 2 pixels left, right, up and down, and the crop
    /// zoomed by 0.92 and 1.08 about its centre, each as it is and mirrored (14 times the network work).
    case mirrorShiftZoom = "mirror-shift-zoom"

    /// The views averaged, in the order the network sees them (the first is the crop as it is).
    public var views: [FaceWarp] {
        switch self {
        case .none: return [.identity]
        case .mirror: return [.identity, FaceWarp(flip: true)]
        case .mirrorShiftZoom:
            let places = [FaceWarp.identity, FaceWarp(dx: -2), FaceWarp(dx: 2), FaceWarp(dy: -2), FaceWarp(dy: 2),
                          FaceWarp(scale: 0.92), FaceWarp(scale: 1.08)]
            return places.flatMap { place -> [FaceWarp] in
                var mirrored = place
                mirrored.flip = true
                return [place, mirrored]
            }
        }
    }

    /// Network passes per face.
    public var passes: Int { views.count }

    /// The crop mirrored left-right (`side × side` bytes, row-major).
    public static func mirrored(_ face: [UInt8], side: Int) -> [UInt8] {
        FaceWarp(flip: true).apply(face, side: side)
    }

    /// The network inputs for `faces` (`side × side` bytes each): every face in its first view, then every
    /// face in the second, and so on (`passes · faces.count` crops, the layout `combine` expects).
    public func inputs(_ faces: [[UInt8]], side: Int) -> [[UInt8]] {
        views.flatMap { view in view == .identity ? faces : faces.map { view.apply($0, side: side) } }
    }

    /// Per-face scores from logits `[passes·N, classes]` laid out view by view (all N faces in the first view,
    /// then all N in the next): logits unchanged for `.none`, else the mean of the softmax distributions of the
    /// views. Either way the row maximum is the predicted class.
    public func combine(_ logits: Tensor, faces n: Int) -> Tensor {
        guard self != .none else { return logits }
        let c = logits.shape[1], k = passes
        precondition(logits.shape[0] == k * n, "\(rawValue) averaging needs \(k)·N rows")
        let p = Loss.softmax(logits)
        var out = Tensor(shape: [n, c])
        for i in 0..<(n * c) {
            var sum = p.storage[i]
            for v in 1..<k { sum += p.storage[v * n * c + i] }
            out.storage[i] = sum / Float(k)
        }
        return out
    }
}
