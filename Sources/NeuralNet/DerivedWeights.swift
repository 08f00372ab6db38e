import Foundation

/// Weights derived from one convolution's for its fast paths — Winograd transforms (`Winograd`,
/// `WinogradPlane3`) and per-position compact weights (`PositionTaps`) — made on first use and shared by the
/// layer's replicas (`FusedConv(sharingWeightsOf:)`): a layer that never takes a path never pays for it, and
/// lanes do not each keep a copy.
final class DerivedWeights: @unchecked Sendable {
    private let lock = NSLock()
    private var tiles: [Float]?
    private var plane3: [Float]?
    private var positions: [Int: PositionTaps?] = [:]

    /// F(2×2, 3×3) weights `[16, Cout, Cin]`, made by `make` the first time.
    func tiles2x2(_ make: () -> [Float]) -> [Float] { memo(\.tiles, make) }

    /// F(3×3, 3×3) weights `[25, Cout, Cin]`, made by `make` the first time.
    func plane3x3(_ make: () -> [Float]) -> [Float] { memo(\.plane3, make) }

    private func memo(_ slot: ReferenceWritableKeyPath<DerivedWeights, [Float]?>, _ make: () -> [Float]) -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        if let known = self[keyPath: slot] { return known }
        let made = make()
        self[keyPath: slot] = made
        return made
    }

    /// The per-position plan for a `height` × `width` input (nil: not worth it), made by `make` the first time.
    func positionTaps(height: Int, width: Int, _ make: () -> PositionTaps?) -> PositionTaps? {
        lock.lock()
        defer { lock.unlock() }
        let key = height << 32 | width
        if let known = positions[key] { return known }
        let made = make()
        positions[key] = made
        return made
    }
}
