// A baud-enable generator: enable k at UART-clock cycle k*IBRD + floor(k*FBRD/64) after its phase
// reference. It is told which edges are enables (`tick`) and how many cycles passed otherwise, and
// reports the cycles to its next enable. `load` replaces divisor and phase at once (phase
// reference, fast-forward, or a copy of another generator's state).
module uart_baud (
    input  logic        clk,
    input  logic        rst,
    input  logic        load,
    input  logic [15:0] ld_ibrd,
    input  logic [5:0]  ld_fbrd,
    input  logic [5:0]  ld_frac,
    input  logic [31:0] ld_cnt,
    input  logic        tick,
    input  logic [31:0] cycles,
    output logic [15:0] ibrd,
    output logic [5:0]  fbrd,
    output logic [5:0]  frac,
    output logic [5:0]  frac_next,  // state after this edge (for copies)
    output logic [31:0] cnt,        // cycles to the next enable
    output logic [31:0] cnt_next
);
  logic [6:0] sum;
  assign sum = {1'b0, frac} + {1'b0, fbrd};

  always_comb begin
    if (load) begin
      frac_next = ld_frac;
      cnt_next = ld_cnt;
    end else if (tick) begin
      frac_next = sum[5:0];
      cnt_next = {16'd0, ibrd} + {31'd0, sum[6]};
    end else begin
      frac_next = frac;
      cnt_next = cnt - cycles;
    end
  end

  always_ff @(edge clk) begin
    if (rst) begin
      ibrd <= 16'd0;
      fbrd <= 6'd0;
      frac <= 6'd0;
      cnt <= 32'd0;
    end else begin
      if (load) begin
        ibrd <= ld_ibrd;
        fbrd <= ld_fbrd;
      end
      frac <= frac_next;
      cnt <= cnt_next;
    end
  end
endmodule
