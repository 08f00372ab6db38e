/// Two-sided 95 % quantiles of Student's t distribution, for intervals of a mean.
public enum StudentT {
    /// t(0.975) for 1…30 degrees of freedom (the usual table, three decimals).
    static let table: [Double] = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                  2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                  2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]

    /// The 0.975 quantile with `degreesOfFreedom` ≥ 1: the table up to 30; beyond, the entry of the
    /// next smaller tabulated value (40: 2.021, 60: 2.000, 120: 1.980), which errs on the wide side.
    public static func quantile975(degreesOfFreedom df: Int) -> Double {
        precondition(df >= 1, "t quantile needs at least one degree of freedom")
        if df <= 30 { return table[df - 1] }
        if df < 40 { return 2.042 }
        if df < 60 { return 2.021 }
        if df < 120 { return 2.000 }
        return 1.980
    }
}
