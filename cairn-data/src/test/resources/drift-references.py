# Reference values of DriftStatisticsTest: run with Debian 12's /usr/bin/python3 (python3-scipy 1.10.1, numpy 1.24.2).
# Evidently's formulas where Evidently wraps SciPy (chi-square against scaled reference counts, 30 bins, 0.0001 for empty bins).
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon
np.set_printoptions(precision=17)
def rep(name, v): print(f"{name} = {float(v)!r}")

a = np.array([0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64, 0.05, -0.06, 0.64, -0.82, 0.37, 1.77, 1.09, -1.28, 2.36, 1.31, 1.05, -0.32, -0.4, 1.06, -2.47])
b = np.array([2.2, 1.66, 1.38, 0.2, 0.36, 0.0, 0.96, 1.56, 0.44, 1.5, -0.3, 0.66, 2.31, 3.29, -0.27, -0.37, 0.38, 0.7, 0.19, -0.15, -0.23, 0.17, 0.74, 0.81, -0.04, 0.55, 0.32, -0.79, 1.06])
r = stats.ks_2samp(a, b); rep("KS_SMALL_D", r.statistic); rep("KS_SMALL_P", r.pvalue)
r = stats.ks_2samp(a, a[:20]); rep("KS_EQUALN_D", r.statistic); rep("KS_EQUALN_P", r.pvalue)
c = a[:20]; d = b[:20]
r = stats.ks_2samp(c, d); rep("KS_SAME_N_D", r.statistic); rep("KS_SAME_N_P", r.pvalue)
rep("WASSERSTEIN_SMALL", stats.wasserstein_distance(a, b))
rep("WASSERSTEIN_NORMED_SMALL", stats.wasserstein_distance(a, b) / max(np.std(a), 0.001))
# large: asymptotic
i = np.arange(12000); x = (i*7919 % 10007)/10007.0
j = np.arange(15000); y = (j*7907 % 10009)/10009.0*1.05
r = stats.ks_2samp(x, y); rep("KS_LARGE_D", r.statistic); rep("KS_LARGE_P", r.pvalue)
# medium exact unequal
x2 = x[:3000]; y2 = y[:2500] 
r = stats.ks_2samp(x2, y2); rep("KS_MEDIUM_D", r.statistic); rep("KS_MEDIUM_P", r.pvalue)
# chi-square evidently-style
ref = {'a': 120, 'b': 80, 'c': 50, 'd': 10}; cur = {'a': 90, 'b': 95, 'c': 40, 'd': 25}
keys = sorted(set(ref)|set(cur)); nr = sum(ref.values()); nc = sum(cur.values())
f_exp = [ref.get(k,0)*nc/nr for k in keys]; f_obs = [cur.get(k,0) for k in keys]
r = stats.chisquare(f_obs, f_exp); rep("CHI_STAT", r.statistic); rep("CHI_P", r.pvalue)
# psi, js on categorical
rp = np.array([ref[k]/nr for k in keys]); cp = np.array([cur[k]/nc for k in keys])
rep("PSI_CAT", np.sum((rp-cp)*np.log(rp/cp)))
rep("JS_CAT", jensenshannon(rp, cp))
rep("LINF_CAT", np.max(np.abs(rp-cp)))
# numeric binned psi/js with 30 bins on a,b (evidently get_binned_data)
bins = np.histogram_bin_edges(list(a)+list(b), bins=30)
ra = np.histogram(a, bins)[0]/len(a); cb = np.histogram(b, bins)[0]/len(b)
ra = np.where(ra==0, 0.0001, ra); cb = np.where(cb==0, 0.0001, cb)
rep("PSI_NUM", np.sum((ra-cb)*np.log(ra/cb)))
rep("JS_NUM", jensenshannon(ra, cb))
# z test (two proportions)
n1, k1, n2, k2 = 400, 130, 350, 140
p1 = k1/n1; p2 = k2/n2; P = (k1+k2)/(n1+n2)
z = (p1-p2)/np.sqrt(P*(1-P)*(1/n1+1/n2)); rep("Z_STAT", z); rep("Z_P", 2*(1-stats.norm.cdf(abs(z))))
y2 = (j*7907 % 10009)/10009.0*1.01
r = stats.ks_2samp(x, y2); rep("KS_LARGE2_D", r.statistic); rep("KS_LARGE2_P", r.pvalue)
rep("KSTWO_SF_500", stats.kstwo.sf(0.05, 500)); rep("KSTWO_SF_6667", stats.kstwo.sf(0.02, 6667))
# Tiny KS p-values (exact method: ks_2samp(method='auto') with both samples <= 10000), computed with SciPy 1.17.1
# (python3 -m pip scipy 1.17.1, numpy 2.4.6): the square formula for equal sizes, the outer-inside method otherwise.
i = np.arange(1000); x1 = (i*7919 % 10007)/10007.0
y1 = (i*7907 % 10009)/10009.0; y8 = (np.arange(800)*7907 % 10009)/10009.0
r = stats.ks_2samp(x1, y1 + 0.25); rep("KS_TINY_D", r.statistic); rep("KS_TINY_P", r.pvalue)
r = stats.ks_2samp(x1, y1 + 0.3); rep("KS_TINIER_D", r.statistic); rep("KS_TINIER_P", r.pvalue)
r = stats.ks_2samp(x1, y8 + 0.25); rep("KS_TINY_UNEQUAL_D", r.statistic); rep("KS_TINY_UNEQUAL_P", r.pvalue)
# Two-sample contingency chi-square (SciPy's default correction: Yates only for a 2x2 table).
r = stats.chi2_contingency([[120, 80, 50, 10], [90, 95, 40, 25]]); rep("CHI2_CONT_STAT", r[0]); rep("CHI2_CONT_P", r[1])
r = stats.chi2_contingency([[130, 270], [140, 210]]); rep("CHI2_CONT_2X2_STAT", r[0]); rep("CHI2_CONT_2X2_P", r[1])
# PSI and Jensen-Shannon of numbers over 30 bins cut at the reference's quantiles (Cairn's binning, not Evidently's
# equal-width one): inner edges a_sorted[ceil(i/30 * n) - 1], outer edges the extremes of both samples, ties merged.
def quantile_edges(ref, cur, bins):
    s = np.sort(ref); n = len(s)
    edges = [min(ref.min(), cur.min())]
    for i in range(1, bins):
        q = s[max(0, min(n - 1, int(np.ceil(i / bins * n)) - 1))]
        if q > edges[-1]: edges.append(q)
    if max(ref.max(), cur.max()) > edges[-1]: edges.append(max(ref.max(), cur.max()))
    return np.array(edges)
qe = quantile_edges(a, b, 30)
ra = np.histogram(a, qe)[0]/len(a); cb = np.histogram(b, qe)[0]/len(b)
ra = np.where(ra==0, 0.0001, ra); cb = np.where(cb==0, 0.0001, cb)
rep("PSI_NUM_QUANTILE_BINS", np.sum((ra-cb)*np.log(ra/cb)))
rep("JS_NUM_QUANTILE_BINS", jensenshannon(ra, cb))
