import Foundation

/// A scalar loss and its gradient with respect to the logits it was computed from.
public struct LossResult: Sendable {
    /// The loss value.
    public let value: Float
    /// `dL/dlogits`, shaped like the logits (`[N, classes]`).
    public let gradient: Tensor
}

/// Classification losses over batch-first logits `[N, classes]`, with PyTorch's definitions.
public enum Loss {
    /// Row-wise softmax of `[N, classes]` logits (each row sums to 1).
    public static func softmax(_ logits: Tensor, temperature: Float = 1) -> Tensor {
        precondition(logits.shape.count == 2, "softmax expects [N, classes], got \(logits.shape)")
        let n = logits.shape[0], c = logits.shape[1]
        var out = Tensor(uninitializedShape: logits.shape)
        for i in 0..<n {
            let row = logSoftmaxRow(logits.storage, offset: i * c, count: c, temperature: temperature)
            for j in 0..<c { out.storage[i * c + j] = Float(exp(row[j])) }
        }
        return out
    }

    /// Softmax cross-entropy, `torch.nn.functional.cross_entropy(logits, targets, weight:, label_smoothing:)`
    /// with mean reduction: `[(1−ε)·Σᵢ w[yᵢ]·(−log pᵢ[yᵢ]) + (ε/C)·Σᵢ Σ_c w[c]·(−log pᵢ[c])] / Σᵢ w[yᵢ]`.
    /// - Parameters:
    ///   - targets: one class index per row, each in `0..<classes`.
    ///   - classWeights: optional per-class weights (`classes` values), 1 each when nil.
    ///   - labelSmoothing: ε in [0, 1).
    public static func crossEntropy(logits: Tensor, targets: [Int], classWeights: [Float]? = nil,
                                    labelSmoothing: Float = 0) -> LossResult {
        precondition(logits.shape.count == 2 && logits.shape[0] == targets.count,
                     "crossEntropy: logits \(logits.shape) for \(targets.count) targets")
        let n = logits.shape[0], c = logits.shape[1]
        let w = (classWeights ?? [Float](repeating: 1, count: c)).map(Double.init)
        precondition(w.count == c, "crossEntropy: \(w.count) class weights for \(c) classes")
        precondition(targets.allSatisfy { (0..<c).contains($0) }, "crossEntropy: target outside 0..<\(c)")
        let eps = Double(labelSmoothing), sumW = w.reduce(0, +)
        let totalWeight = targets.reduce(0.0) { $0 + w[$1] }
        var loss = 0.0
        var grad = Tensor(shape: logits.shape)
        for i in 0..<n {
            let logp = logSoftmaxRow(logits.storage, offset: i * c, count: c, temperature: 1)
            let y = targets[i]
            loss += (1 - eps) * w[y] * -logp[y]
            for j in 0..<c {
                let p = exp(logp[j])
                loss += eps / Double(c) * w[j] * -logp[j]
                let g = (1 - eps) * w[y] * (p - (j == y ? 1 : 0)) + eps / Double(c) * (sumW * p - w[j])
                grad.storage[i * c + j] = Float(g / totalWeight)
            }
        }
        return LossResult(value: Float(loss / totalWeight), gradient: grad)
    }

    /// The distillation term `T² · KL(softmax(t/T) ‖ softmax(s/T))`, averaged over the batch
    /// (`T² · kl_div(log_softmax(s/T), softmax(t/T), reduction: "batchmean")` in PyTorch).
    /// The gradient with respect to the student logits is `T · (softmax(s/T) − softmax(t/T)) / N`.
    public static func distillation(studentLogits s: Tensor, teacherLogits t: Tensor, temperature: Float) -> LossResult {
        precondition(s.shape == t.shape && s.shape.count == 2, "distillation: student \(s.shape), teacher \(t.shape)")
        precondition(temperature > 0, "distillation: temperature must be positive")
        let n = s.shape[0], c = s.shape[1], T = Double(temperature)
        var kl = 0.0
        var grad = Tensor(shape: s.shape)
        for i in 0..<n {
            let ls = logSoftmaxRow(s.storage, offset: i * c, count: c, temperature: temperature)
            let lt = logSoftmaxRow(t.storage, offset: i * c, count: c, temperature: temperature)
            for j in 0..<c {
                let pt = exp(lt[j]), ps = exp(ls[j])
                if pt > 0 { kl += pt * (lt[j] - ls[j]) }
                grad.storage[i * c + j] = Float(T * (ps - pt) / Double(n))
            }
        }
        return LossResult(value: Float(T * T * kl / Double(n)), gradient: grad)
    }

    /// log-softmax of one row of `count` logits divided by `temperature`, in Double.
    static func logSoftmaxRow(_ x: [Float], offset: Int, count: Int, temperature: Float) -> [Double] {
        let inv = 1 / Double(temperature)
        var m = -Double.infinity
        for j in 0..<count { m = max(m, Double(x[offset + j]) * inv) }
        var s = 0.0
        for j in 0..<count { s += exp(Double(x[offset + j]) * inv - m) }
        let lse = m + log(s)
        return (0..<count).map { Double(x[offset + $0]) * inv - lse }
    }
}

extension LossResult {
    /// `factor · self` (value and gradient).
    public func scaled(by factor: Float) -> LossResult {
        var g = gradient
        for i in 0..<g.count { g.storage[i] *= factor }
        return LossResult(value: factor * value, gradient: g)
    }

    /// `self + factor · other` (value and gradient), e.g. `ce.combined(with: kd, factor: β)`.
    public func combined(with other: LossResult, factor: Float = 1) -> LossResult {
        precondition(gradient.shape == other.gradient.shape, "combined: gradient shapes differ")
        var g = gradient
        for i in 0..<g.count { g.storage[i] += factor * other.gradient.storage[i] }
        return LossResult(value: value + factor * other.value, gradient: g)
    }
}
