/** tau2 retail: the RetailTools toolkit over a validated RetailDB. */
import type { PyDict, PyValue } from '../../tau-bench/py.ts';
import { calculateTool } from '../calculate.ts';
import { construct } from '../model.ts';
import { Toolkit, type Tau2Tool } from '../toolkit.ts';
import { CLASS } from './db.ts';
import { RetailDB } from './model.ts';
import { cancelPendingOrder } from './tools/cancel_pending_order.ts';
import { exchangeDeliveredOrderItems } from './tools/exchange_delivered_order_items.ts';
import { findUserIdByEmail } from './tools/find_user_id_by_email.ts';
import { findUserIdByNameZip } from './tools/find_user_id_by_name_zip.ts';
import { getItemDetails } from './tools/get_item_details.ts';
import { getOrderDetails } from './tools/get_order_details.ts';
import { getProductDetails } from './tools/get_product_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllProductTypes } from './tools/list_all_product_types.ts';
import { modifyPendingOrderAddress } from './tools/modify_pending_order_address.ts';
import { modifyPendingOrderItems } from './tools/modify_pending_order_items.ts';
import { modifyPendingOrderPayment } from './tools/modify_pending_order_payment.ts';
import { modifyUserAddress } from './tools/modify_user_address.ts';
import { returnDeliveredOrderItems } from './tools/return_delivered_order_items.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';

export const RETAIL_TOOLS: readonly Tau2Tool[] = [
  calculateTool, cancelPendingOrder, exchangeDeliveredOrderItems, findUserIdByNameZip, findUserIdByEmail,
  getOrderDetails, getProductDetails, getItemDetails, getUserDetails, listAllProductTypes, modifyPendingOrderAddress,
  modifyPendingOrderItems, modifyPendingOrderPayment, modifyUserAddress, returnDeliveredOrderItems, transferToHumanAgents,
];

/** `RetailDB.model_validate(json)`. */
export function loadRetailDb(json: PyValue): PyDict {
  return construct('RetailDB', RetailDB, json instanceof Map ? json : new Map());
}

export function retailToolkit(db: PyDict): Toolkit {
  return new Toolkit(CLASS, RETAIL_TOOLS, db);
}
