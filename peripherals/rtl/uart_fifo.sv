// 16-entry synchronous FIFO of the module UART (one for TX data, one for RX data + error flags).
// The head entry is visible combinationally on rdata; push and pop take effect at the clock edge.
module uart_fifo #(
    parameter int W = 8
) (
    input  logic         clk,
    input  logic         rst,
    input  logic         flush,
    input  logic         push,
    input  logic [W-1:0] wdata,
    input  logic         pop,
    output logic [W-1:0] rdata,
    output logic [4:0]   count
);
  logic [W-1:0] mem[16];
  logic [3:0] rd_ptr, wr_ptr;

  assign rdata = mem[rd_ptr];

  always_ff @(edge clk) begin
    if (rst || flush) begin
      rd_ptr <= 4'd0;
      wr_ptr <= 4'd0;
      count  <= 5'd0;
    end else begin
      if (push) begin
        mem[wr_ptr] <= wdata;
        wr_ptr <= wr_ptr + 4'd1;
      end
      if (pop) rd_ptr <= rd_ptr + 4'd1;
      count <= count + {4'd0, push} - {4'd0, pop};
    end
  end
endmodule
