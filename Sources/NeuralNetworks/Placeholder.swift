public enum _N {}
