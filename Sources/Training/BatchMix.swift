import NeuralNet

/// How often and how strongly training mixes the images of a batch (`--mixup α`, `--cutmix α`).
public struct MixingOptions: Codable, Equatable, Sendable {
    /// mixup (Zhang et al. 2018): each image is blended with its partner, `λ·x + (1−λ)·x′`, λ ~ Beta(α, α).
    /// nil: off.
    public var mixupAlpha: Float?
    /// CutMix (Yun et al. 2019): a rectangle of each image is replaced by the same rectangle of its partner,
    /// its area a fraction 1−λ of the image (λ ~ Beta(α, α), then the rectangle clipped to the image and λ set
    /// to the fraction actually kept). nil: off.
    public var cutmixAlpha: Float?

    public init(mixupAlpha: Float? = nil, cutmixAlpha: Float? = nil) {
        self.mixupAlpha = mixupAlpha
        self.cutmixAlpha = cutmixAlpha
    }

    /// No mixing.
    public static let none = MixingOptions()

    public var isOn: Bool { mixupAlpha != nil || cutmixAlpha != nil }
}

/// The mixing drawn for one batch: every image `i` of the batch is mixed with its partner, the image at the
/// mirrored position `N−1−i` (the first with the last, and so on; with an odd batch the middle image is its
/// own partner), and its loss is `λ·loss(own label) + (1−λ)·loss(partner's label)`.
public struct BatchMix: Equatable, Sendable {
    /// What is taken from the partner.
    public enum Kind: Equatable, Sendable {
        /// The whole image, blended with weight 1−λ.
        case blend
        /// The pixels of a rectangle (in every channel), replacing the image's own.
        case box(x: Int, y: Int, width: Int, height: Int)
    }

    public var kind: Kind
    /// The weight of each image's own label (and, for a blend, of its own pixels).
    public var lambda: Float

    public init(kind: Kind, lambda: Float) {
        self.kind = kind
        self.lambda = lambda
    }

    /// Draws the mixing of one batch of `side × side` images, or nil when `options` mix nothing. With both
    /// mixup and CutMix on, each batch uses one of them, chosen with equal odds. The values taken from
    /// `generator` depend only on the draws, so a plan is reproducible from the generator's state.
    public static func random(_ options: MixingOptions, side: Int, using generator: inout RandomGenerator) -> BatchMix? {
        let useCutMix: Bool
        switch (options.mixupAlpha, options.cutmixAlpha) {
        case (nil, nil): return nil
        case (_?, nil): useCutMix = false
        case (nil, _?): useCutMix = true
        case (_?, _?): useCutMix = generator.next() >> 63 == 1
        }
        if !useCutMix {
            let a = Double(options.mixupAlpha!)
            return BatchMix(kind: .blend, lambda: Float(generator.nextBeta(a, a)))
        }
        let a = Double(options.cutmixAlpha!)
        let lambda = generator.nextBeta(a, a)
        // A square-aspect rectangle of area (1−λ)·side², centred anywhere in the image, clipped to it.
        let cut = (1 - lambda).squareRoot() * Double(side)
        let cx = generator.nextInt(in: 0...(side - 1)), cy = generator.nextInt(in: 0...(side - 1))
        let half = Int((cut / 2).rounded())
        let x0 = max(0, cx - half), x1 = min(side, cx + half)
        let y0 = max(0, cy - half), y1 = min(side, cy + half)
        let area = (x1 - x0) * (y1 - y0)
        return BatchMix(kind: .box(x: x0, y: y0, width: x1 - x0, height: y1 - y0),
                        lambda: 1 - Float(area) / Float(side * side))
    }

    /// The partner of each of `count` positions: `N−1−i`.
    public static func partners(count: Int) -> [Int] { (0..<count).map { count - 1 - $0 } }

    /// Mixes a batch `[N, channels, side, side]` in place (every image with its partner, as it was before
    /// the mixing).
    public func apply(to batch: inout Tensor) {
        precondition(batch.shape.count == 4, "BatchMix.apply: a batch [N, C, H, W] is needed, got \(batch.shape)")
        let n = batch.shape[0], channels = batch.shape[1], height = batch.shape[2], width = batch.shape[3]
        let image = channels * height * width, plane = height * width
        let original = batch.storage
        for i in 0..<n {
            let partner = n - 1 - i
            guard partner != i else { continue }
            let own = i * image, other = partner * image
            switch kind {
            case .blend:
                let keep = lambda, take = 1 - lambda
                for k in 0..<image { batch.storage[own + k] = keep * original[own + k] + take * original[other + k] }
            case let .box(x0, y0, w, h):
                for c in 0..<channels {
                    for y in y0..<(y0 + h) {
                        let row = c * plane + y * width
                        for x in x0..<(x0 + w) { batch.storage[own + row + x] = original[other + row + x] }
                    }
                }
            }
        }
    }

    /// `λ·CE(logits, labels) + (1−λ)·CE(logits, partners' labels)`, each the weighted, smoothed mean of
    /// `Loss.crossEntropy` (what `lam * criterion(out, y_a) + (1 - lam) * criterion(out, y_b)` computes in
    /// PyTorch).
    public func crossEntropy(logits: Tensor, targets: [Int], classWeights: [Float]?, labelSmoothing: Float) -> LossResult {
        let own = Loss.crossEntropy(logits: logits, targets: targets, classWeights: classWeights,
                                    labelSmoothing: labelSmoothing)
        let partners = Self.partners(count: targets.count).map { targets[$0] }
        let other = Loss.crossEntropy(logits: logits, targets: partners, classWeights: classWeights,
                                      labelSmoothing: labelSmoothing)
        return own.scaled(by: lambda).combined(with: other, factor: 1 - lambda)
    }
}
