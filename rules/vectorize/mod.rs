//! PAR3: Python loops over NumPy and pandas data, vectorized.

pub(super) mod par301_nested_loop_outer_product;
pub(super) mod par302_elementwise_loop;
pub(super) mod par303_loop_reduction_over_array;
pub(super) mod par304_python_map_over_array;
pub(super) mod par305_dataframe_row_loop;
pub(crate) mod par306_sequential_dataframe_reads;
pub(crate) mod rewrite;
