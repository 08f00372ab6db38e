import COpenBLAS
import Foundation

/// Picks OpenBLAS's kernels for CPUs newer than the installed library knows.
///
/// OpenBLAS built with `DYNAMIC_ARCH` chooses its kernels (its "core") from the CPU model when it loads. A model
/// it does not know falls back to `Prescott`, its generic SSE3 kernels: Debian 12's OpenBLAS 0.3.21 does that on
/// Sapphire and Emerald Rapids Xeons (family 6, models 143 and 207), where its `SkylakeX` kernels run BlazeFace's
/// and the emotion model's products 3–4× faster (a 48 × 42 by 42 × 4096 product: 0.68 → 0.17 ms). So before the
/// first product, when OpenBLAS settled on `Prescott` although the CPU has AVX-512 (or AVX2 with FMA), the core is
/// chosen again the way `OPENBLAS_CORETYPE` would choose it at load time. Nothing changes when the user set
/// `OPENBLAS_CORETYPE`, when OpenBLAS recognised the CPU, or when the library has no dynamic core selection.
enum BLASCore {
    /// The core to use instead of OpenBLAS's generic fallback, from the CPU's feature flags, or nil.
    static func replacement(forChosen chosen: String, flags: Set<Substring>) -> String? {
        guard chosen.lowercased() == "prescott" else { return nil }
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }

    /// The CPU feature flags the kernel reports (the first `flags` line of /proc/cpuinfo; empty elsewhere).
    static func cpuFlags() -> Set<Substring> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }

    /// The core OpenBLAS runs with.
    static var current: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// Re-selects the core when `replacement` says so (once, before any product; see the type's comment).
    static func upgradeIfGeneric() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
              let target = replacement(forChosen: current, flags: cpuFlags()),
              let quit = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_quit"),
              let initialise = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_init") else { return }
        typealias Hook = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", target, 1)
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialise, to: Hook.self)()  // reads OPENBLAS_CORETYPE; an unknown name falls back to Prescott
        unsetenv("OPENBLAS_CORETYPE")
    }
}
